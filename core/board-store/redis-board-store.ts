// The live board in Redis (ElastiCache in AWS): a 4-bit BITFIELD, an INCR sequence, a capped
// stream of recent updates keyed by seq, and pub/sub for the socket servers.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisClientOptions } from './redis-client.ts';
import { boardByteLength, createBoard, growthProblem, resizeBoard, type BoardSize } from '../domain/board-codec.ts';
import type { CooldownRules } from '../domain/cooldown.ts';
import type { RedisConfig } from '../config.ts';
import { BadRequestError, PlaceError, RebuildInProgressError, StoreUnavailableError } from '../errors.ts';
import type {
  BoardHead, BoardSnapshot, BoardState, BoardStore, Cooldown, FeedHandlers, FeedSubscription, HeldLease, LeaseName, LeaseTry, LockName,
  PlaceOutcome, PlaceRequest, Placement, StoreLock, UpdatesSince,
} from './board-store.ts';
import { PLACE_PIXELS_LUA, placedBucketMs, placedBucketTtlMs } from './place-script.ts';
import { packCallNumbers, packPixelRecords, packWriteNumbers, placedValueFormat, type CallSettings } from './place-args.ts';
import { packPendingWriters, PendingCallTracker, pendingMember } from './pending-calls.ts';
import { readPendingPlacements, removePendingRecords } from './redis-pending.ts';
import { placeOutcomes } from './place-replies.ts';
import { LAST_PLACED_LUA, REVOKE_LUA, slotArgs, TAKE_SLOT_LUA } from './redis-scripts.ts';
import { defineLeaseCommands, type LeaseRedis, RedisLeaseNotices, takeRedisLease } from './redis-leases.ts';
import { redisKeys, type RedisKeys } from './redis-keys.ts';
import { readUpdatesSince } from './redis-updates.ts';
import { CallBatcher } from './call-batcher.ts';
import type { PublishedBoard } from '../publish/published-board.ts';
import { decodeFeedMessage, encodeFeedReset, encodeFeedResize } from '../protocol/feed.ts';
import { addressBits } from '../domain/ip-range.ts';
import { addressKey } from '../domain/client-ip.ts';
import type { BoardStatus, IpBan, LiveModerationState, ProtectedArea, Role, UserBan } from '../domain/moderation.ts';
import type { ModeratorPixel, ModeratorPlaceOutcome } from './board-store.ts';
import { DEFAULT_READS_PER_IP_PER_MINUTE } from './board-store.ts';
import { RedisModeration } from './redis-moderation.ts';

export interface RedisBoardStoreOptions {
  redis: RedisConfig;
  size: BoardSize;
  rules: CooldownRules;
  sessionsPerIpPerHour: number;
  updatesKept: number;
  /** How long a used idempotency key answers with its placement. */
  idempotencyTtlMs?: number;
  /** How long a session token lives: a revocation is kept that long. */
  sessionMaxAgeMs?: number;
  /**
   * 'relay' (default): writes only append to the update stream, and one elected relay publishes a
   * batch per tick (Redis work per write does not grow with the number of socket servers).
   * 'publish': every write publishes itself (the earlier design; kept for comparison).
   */
  feedMode?: 'relay' | 'publish';
  /** Uncached reads (segments, since) one address may make a minute. */
  readsPerIpPerMinute?: number;
}

interface ScriptedRedis extends LeaseRedis {
  placePixels(numberOfKeys: number, ...keysAndArgs: (string | number | Buffer)[]): Promise<(string | number | null)[]>;
  takeSlot(...args: (string | number)[]): Promise<[number, number]>;
  revoke(key: string, at: number, ttlMs: number): Promise<number>;
  lastPlaced(stateKey: string, widthKey: string, ...args: (string | number)[]): Promise<number | null>;
}

/** Writes per script call at most: a call's KEYS and ARGV grow with it, and Redis runs nothing else meanwhile. */
const DEFAULT_WRITE_BATCH_MAX = 64;

/** Pending records one confirmation removes at most. */
const MAX_CONFIRMATIONS_PER_CALL = 1000;

/** A session issued at this time is never covered by a revocation (callers without a session). */
const NO_SESSION = Number.MAX_SAFE_INTEGER;

export class RedisBoardStore implements BoardStore {
  readonly keys: RedisKeys;
  readonly publishesEachWrite: boolean;
  private readonly moderation: RedisModeration;
  private readonly writes: CallBatcher<PlaceRequest, PlaceOutcome>;
  private readonly confirmations: CallBatcher<string, void>;
  private readonly pendingCalls = new PendingCallTracker();
  private readonly leaseNotices: RedisLeaseNotices;
  private readonly idempotencyTtlMs: number;
  /** The bucket width the first write stores (place-script.ts), from this configuration. */
  private readonly placedBucketMs: number;
  /** What every write call hands the script from this configuration (place-args.ts). */
  private readonly callSettings: CallSettings;

  private constructor(private readonly client: ScriptedRedis, private readonly options: RedisBoardStoreOptions) {
    this.keys = redisKeys(options.redis.keyPrefix);
    this.publishesEachWrite = options.feedMode === 'publish';
    this.leaseNotices = new RedisLeaseNotices(options.redis.feedUrl ?? options.redis.url, this.keys.leases);
    this.idempotencyTtlMs = options.idempotencyTtlMs ?? 300_000;
    this.placedBucketMs = placedBucketMs(options.rules.cooldownMs, this.idempotencyTtlMs);
    this.callSettings = {
      width: options.size.width, height: options.size.height, cooldownMs: options.rules.cooldownMs, placementsPerIp: options.rules.placementsPerIp,
      updatesKept: options.updatesKept, publishEachWrite: this.publishesEachWrite, idempotencyTtlMs: this.idempotencyTtlMs, placedBucketMs: this.placedBucketMs,
    };
    this.writes = new CallBatcher(
      { lingerMs: options.redis.writeBatchMs ?? 0, max: options.redis.writeBatchMax ?? DEFAULT_WRITE_BATCH_MAX },
      (requests) => this.placeBatch(requests),
    );
    // Confirmations made in the same turn go to Redis together.
    this.confirmations = new CallBatcher({ lingerMs: 0, max: MAX_CONFIRMATIONS_PER_CALL }, async (members) => {
      await this.run('markPersisted', () => removePendingRecords(this.client, this.keys, members));
      return members.map(() => undefined);
    });
    this.moderation = new RedisModeration({
      client, keys: this.keys, size: options.size, defaultCooldownMs: options.rules.cooldownMs, updatesKept: options.updatesKept,
      publishesEachWrite: this.publishesEachWrite, run: (what, op) => this.run(what, op),
    });
  }

  /** The connection, for adapters that share it (core/community). */
  get connection(): Redis {
    return this.client;
  }

  /** The relay's half of the feed: one batch of consecutive updates onto the channel. */
  async publishBatch(batch: Uint8Array): Promise<void> {
    await this.run('publish', () => this.client.publish(this.keys.channel, Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength)));
  }

  static async connect(options: RedisBoardStoreOptions): Promise<RedisBoardStore> {
    const client = new Redis(options.redis.url, redisClientOptions()) as ScriptedRedis;
    client.on('error', () => { /* surfaced per command as StoreUnavailableError */ });
    client.defineCommand('placePixels', { lua: PLACE_PIXELS_LUA }); // the key count varies with the batch
    RedisModeration.define(client);
    client.defineCommand('takeSlot', { numberOfKeys: 1, lua: TAKE_SLOT_LUA });
    defineLeaseCommands(client);
    client.defineCommand('revoke', { numberOfKeys: 1, lua: REVOKE_LUA });
    client.defineCommand('lastPlaced', { numberOfKeys: 2, lua: LAST_PLACED_LUA });
    try {
      await client.connect();
    } catch (err) {
      client.disconnect();
      throw new StoreUnavailableError(`cannot reach Redis at ${redactedUrl(options.redis.url)}`, { cause: err, store: 'redis' });
    }
    return new RedisBoardStore(client, options);
  }

  private async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      // Our own errors (a bad size, a rebuild in progress) say more than "Redis failed".
      if (err instanceof PlaceError) throw err;
      throw new StoreUnavailableError(`Redis ${what} failed: ${(err as Error).message}`, { cause: err, store: 'redis' });
    }
  }

  /**
   * Writes that arrive within `redis.writeBatchMs` of each other (up to `writeBatchMax`) go to
   * Redis as one script call, placed one after the other: each gets the answer it would have
   * got alone, for less Redis time per write (docs/PERFORMANCE.md, "Redis cost per write").
   */
  place(request: PlaceRequest): Promise<PlaceOutcome> {
    return this.writes.call(request);
  }

  private async placeBatch(requests: PlaceRequest[]): Promise<PlaceOutcome[]> {
    const k = this.keys;
    const keys: string[] = [
      k.board, k.seq, k.version, k.updates, k.pending, k.lock('rebuild'), k.revokedAll, k.size,
      k.boardState, k.bans, k.ipBans, k.ipBanLengths, k.protectedMap, k.roles, k.placedWidth, k.pendingCalls,
    ];
    const { idempotencyTtlMs } = this;
    const args: (string | number | Buffer)[] = [
      packCallNumbers(this.callSettings, requests), k.channel, k.placedPrefix, k.addressCountPrefix, packPixelRecords(requests), packPendingWriters(requests),
    ];
    for (const r of requests) {
      const key = r.idempotencyKey ?? null;
      const keyName = key ? k.idempotency(r.userId, key) : null;
      keys.push(k.revoked(r.userId));
      args.push(
        packWriteNumbers(r.x, r.y, r.color, r.now, r.sessionIssuedAt ?? NO_SESSION, key ? idempotencyTtlMs : 0, addressBits(r.ip) ?? '', keyName ?? ''), r.userId, addressKey(r.ip),
        keyName ? placedValueFormat(r.now, r.x, r.y, r.color, keyName) : '',
      );
    }
    const flat = await this.run('place', () => this.client.placePixels(keys.length, ...keys, ...args));
    const outcomes = placeOutcomes(requests, flat);
    if (!outcomes) {
      throw new StoreUnavailableError(`Redis place answered ${flat.length} values that are not an answer for each of ${requests.length} writes`, { store: 'redis' });
    }
    // The call's placements share one pending record, named by the last one's seq.
    const seqs = outcomes.flatMap((o) => (o.status === 'placed' ? [o.placement.seq] : []));
    if (seqs.length > 0) this.pendingCalls.track(String(seqs[seqs.length - 1]), seqs);
    return outcomes;
  }

  markPersisted(placement: Placement): Promise<void> {
    const call = this.pendingCalls.persisted(placement.seq);
    if (call === null) return Promise.resolve(); // others of its call are not persisted yet
    // A call's last placement persisted here; or a placement whose call this process does not
    // track (its record is of one placement, or the call was forgotten: removing nothing then).
    return this.confirmations.call(call ?? pendingMember(placement));
  }

  /** `limit` counts records: a call's record brings all of its placements. */
  pendingPersistence(placedBefore: number, limit: number): Promise<Placement[]> {
    return this.run('pending', () => readPendingPlacements(this.client, this.keys, this.pendingCalls, placedBefore, limit));
  }

  async snapshot(): Promise<BoardSnapshot | null> {
    const replies = await this.run('snapshot', () =>
      this.client.multi().getBuffer(this.keys.board).get(this.keys.seq).get(this.keys.epoch).get(this.keys.size).exec());
    const bytes = replies?.[0]?.[1] as Buffer | null;
    const seq = replies?.[1]?.[1] as string | null;
    if (!bytes || seq === null) return null;
    const head = { seq: Number(seq), epoch: Number(replies?.[2]?.[1] ?? 0), ...this.sizeOf(replies?.[3]?.[1] as string | null) };
    // BITFIELD only allocates up to the last pixel set: the rest of the board is zeros.
    const expected = boardByteLength(head);
    if (bytes.length >= expected) return { ...head, bytes: bytes.subarray(0, expected) };
    const padded = createBoard(head);
    padded.set(bytes);
    return { ...head, bytes: padded };
  }

  async head(): Promise<BoardHead | null> {
    const [seq, epoch, size] = await this.run('head', () => this.client.mget(this.keys.seq, this.keys.epoch, this.keys.size));
    return seq === null || seq === undefined ? null : { seq: Number(seq), epoch: Number(epoch ?? 0), ...this.sizeOf(size ?? null) };
  }

  private sizeOf(stored: string | null): BoardSize {
    const m = stored?.match(/^(\d+)x(\d+)$/);
    return m ? { width: Number(m[1]), height: Number(m[2]) } : this.options.size;
  }

  updatesSince(seq: number, limit: number): Promise<UpdatesSince> {
    return this.run('updatesSince', () => readUpdatesSince(this.client, this.keys, seq, limit));
  }

  async cooldownStart(userId: string): Promise<number | null> {
    const at = await this.run('cooldown', () => this.client.lastPlaced(
      this.keys.boardState, this.keys.placedWidth, this.keys.placedPrefix, this.placedBucketMs, this.options.rules.cooldownMs, this.idempotencyTtlMs, Date.now(), userId));
    return at ?? null;
  }

  async takeSessionSlot(ip: string, now: number): Promise<{ allowed: boolean; retryAfterMs: number }> {
    const [allowed, retryAfterMs] = await this.run('session', () => this.client.takeSlot(
      this.keys.ipSessions(ip), ...slotArgs(this.options.sessionsPerIpPerHour, 3_600_000, now)));
    return { allowed: allowed === 1, retryAfterMs };
  }

  async takeReadSlot(ip: string, now: number): Promise<{ allowed: boolean; retryAfterMs: number }> {
    const [allowed, retryAfterMs] = await this.run('reads', () => this.client.takeSlot(
      this.keys.ipReads(ip), ...slotArgs(this.options.readsPerIpPerMinute ?? DEFAULT_READS_PER_IP_PER_MINUTE, 60_000, now)));
    return { allowed: allowed === 1, retryAfterMs };
  }

  async revokeSessions(userId: string | null, at: number): Promise<void> {
    const key = userId === null ? this.keys.revokedAll : this.keys.revoked(userId);
    await this.run('revoke', () => this.client.revoke(key, at, this.options.sessionMaxAgeMs ?? 365 * 86_400_000));
  }

  async sessionsRevokedAt(userId: string): Promise<number | null> {
    const values = await this.run('revoked', () => this.client.mget(this.keys.revoked(userId), this.keys.revokedAll));
    const times = values.filter((v): v is string => v !== null).map(Number);
    return times.length ? Math.max(...times) : null;
  }

  async restore(state: BoardState, cooldowns: readonly Cooldown[], now: number): Promise<BoardHead> {
    const bytes = state.board;
    const size = state.size ?? this.options.size;
    const [storedEpoch, storedWidth] = await this.run('epoch', () => this.client.mget(this.keys.epoch, this.keys.placedWidth));
    const previous = Number(storedEpoch ?? 0);
    const epoch = Math.max(previous + 1, now);
    const tx = this.client.multi()
      .del(this.keys.updates)
      .set(this.keys.board, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
      .set(this.keys.seq, state.seq)
      .set(this.keys.version, state.version)
      .set(this.keys.epoch, epoch)
      .set(this.keys.size, `${size.width}x${size.height}`);
    const cooldownMs = Math.max((await this.moderation.boardStatus()).cooldownMs, this.options.rules.cooldownMs);
    // The width the writes use: the stored one, or the one the first write would store.
    const width = Number(storedWidth ?? this.placedBucketMs);
    if (storedWidth === null) tx.set(this.keys.placedWidth, width, 'NX');
    const remembered = Math.max(cooldownMs, this.idempotencyTtlMs, 1000);
    const buckets = new Set<number>();
    for (const c of cooldowns) {
      if (c.placedAt + cooldownMs <= now) continue;
      // NX: a placement still in Redis is as new as the journal, and may hold a live
      // Idempotency-Key record (place-script.ts) that a retry must still find.
      const b = Math.floor(c.placedAt / width);
      tx.hsetnx(this.keys.placedBucket(width, b), c.userId, c.placedAt);
      buckets.add(b);
    }
    for (const b of buckets) tx.pexpire(this.keys.placedBucket(width, b), placedBucketTtlMs(b, width, remembered, now));
    tx.publish(this.keys.channel, encodeFeedReset(epoch, state.seq));
    await this.run('restore', () => tx.exec());
    return { seq: state.seq, epoch, ...size };
  }

  async resize(to: BoardSize): Promise<BoardHead> {
    // Its own connection: WATCH is per connection, and the shared one pipelines other callers'
    // commands. The caller fences writes, so the WATCH only guards against a caller that did not.
    const conn = this.client.duplicate({ enableOfflineQueue: true });
    try {
      return await this.run('resize', () => this.resizeOn(conn, to));
    } finally {
      conn.disconnect();
    }
  }

  private async resizeOn(conn: Redis, to: BoardSize): Promise<BoardHead> {
    const k = this.keys;
    await conn.watch(k.board, k.seq, k.size);
    const [bytes, seq, epoch, size] = (await conn.multi().getBuffer(k.board).get(k.seq).get(k.epoch).get(k.size).exec())!
      .map(([, value]) => value) as [Buffer | null, string | null, string | null, string | null];
    if (!bytes || seq === null) throw new RebuildInProgressError('there is no board to resize: it is being rebuilt', 2000, { store: 'redis' });
    const from = this.sizeOf(size);
    const problem = growthProblem(from, to);
    if (problem) throw new BadRequestError('invalid_size', problem);
    const board = createBoard(from);
    board.set(bytes.subarray(0, board.length));
    const grown = resizeBoard(board, from, to);
    const done = await conn.multi()
      .set(k.board, Buffer.from(grown.buffer, grown.byteOffset, grown.byteLength))
      .set(k.size, `${to.width}x${to.height}`)
      .publish(k.channel, encodeFeedResize(to.width, to.height, Number(seq)))
      .exec();
    if (done === null) throw new StoreUnavailableError('the board changed while it was being resized: writes were not fenced', { store: 'redis' });
    return { seq: Number(seq), epoch: Number(epoch ?? 0), ...to };
  }

  async published(): Promise<PublishedBoard | null> {
    const json = await this.run('published', () => this.client.get(this.keys.published));
    return json ? (JSON.parse(json) as PublishedBoard) : null;
  }

  async setPublished(board: PublishedBoard): Promise<void> {
    await this.run('publish', () => this.client.set(this.keys.published, JSON.stringify(board)));
  }

  async tryLock(name: LockName, ttlMs: number): Promise<StoreLock | null> {
    const key = this.keys.lock(name);
    const token = randomBytes(8).toString('hex');
    const ok = await this.run('lock', () => this.client.set(key, token, 'PX', ttlMs, 'NX'));
    if (ok !== 'OK') return null;
    return {
      renew: async (ms) => (await this.run('lock', () => this.client.renewLock(key, token, ms))) === 1,
      release: async () => { await this.run('unlock', () => this.client.releaseLock(key, token)); },
    };
  }

  tryLease(name: LeaseName, ttlMs: number): Promise<LeaseTry<HeldLease>> {
    return takeRedisLease(this.client, this.keys, name, ttlMs, (what, op) => this.run(what, op));
  }

  onLeaseReleased(listener: (name: LeaseName) => void): () => void {
    return this.leaseNotices.listen(listener);
  }

  async subscribe(handlers: FeedHandlers): Promise<FeedSubscription> {
    // Pub/sub needs its own connection; this one queues while reconnecting and resubscribes itself.
    // With a feed URL it goes to a replica: Redis replicates PUBLISH, so the primary sends each
    // batch once (down the replication stream) however many socket servers subscribe.
    const sub = new Redis(this.options.redis.feedUrl ?? this.options.redis.url, { lazyConnect: true, retryStrategy: (n) => Math.min(50 * 2 ** n, 1000) });
    sub.on('error', () => { /* reconnects by itself; onResync fires on ready */ });
    let connectedOnce = false;
    sub.on('ready', () => {
      if (connectedOnce) handlers.onResync();
      connectedOnce = true;
    });
    sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => {
      const m = decodeFeedMessage(message);
      if (m.type === 'batch') handlers.onBatch(message);
      else if (m.type === 'reset') handlers.onReset(m.epoch, m.seq);
      else if (m.type === 'resize') handlers.onResize(m.width, m.height, m.seq);
      else if (m.type === 'status') handlers.onBoardStatus?.(m.status);
      else handlers.onResync();
    });
    await sub.connect();
    await sub.subscribe(this.keys.channel);
    return { close: async () => { sub.disconnect(); } };
  }

  boardStatus(): Promise<BoardStatus> { return this.moderation.boardStatus(); }
  setBoardStatus(status: BoardStatus): Promise<void> { return this.moderation.setBoardStatus(status); }
  setProtectedAreas(areas: readonly ProtectedArea[]): Promise<void> { return this.moderation.setProtectedAreas(areas); }
  setUserBan(userId: string, ban: UserBan | null): Promise<void> { return this.moderation.setUserBan(userId, ban); }
  setIpBans(bans: readonly IpBan[]): Promise<void> { return this.moderation.setIpBans(bans); }
  setRole(userId: string, role: Role | null): Promise<void> { return this.moderation.setRole(userId, role); }
  restoreModeration(state: LiveModerationState): Promise<void> { return this.moderation.restoreModeration(state); }
  placeAsModerator(pixels: readonly ModeratorPixel[], userId: string, now: number): Promise<ModeratorPlaceOutcome> {
    return this.moderation.placeAsModerator(pixels, userId, now);
  }
  takeReportSlot(userId: string, perHour: number, now: number) { return this.moderation.takeReportSlot(userId, perHour, now); }

  async ping(): Promise<void> {
    await this.run('ping', () => this.client.ping());
  }

  async close(): Promise<void> {
    await this.writes.drain(); // writes waiting for their batch still get their answer
    await this.confirmations.drain();
    this.leaseNotices.close();
    this.client.disconnect();
  }
}

function redactedUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

