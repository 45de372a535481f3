import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { RedisBoardStore } from './redis-board-store.ts';
import type { PlaceOutcome, PlaceRequest, Placement } from './board-store.ts';
import { FeedRelay } from './feed-relay.ts';
import { CONTRACT_KEPT, CONTRACT_RULES, CONTRACT_SIZE, describeBoardStoreContract } from './board-store.contract.ts';
import { startTestRedis } from '../../test-support/test-services.ts';
import type { RedisProcess } from '../../local/processes/redis-process.ts';
import { createBoard } from '../domain/board-codec.ts';
import { batchToUpdates, decodePixelBatch, encodePixelBatch, encodePixelRecord } from '../protocol/pixel-batch.ts';
import { decodeFeedMessage } from '../protocol/feed.ts';
import { StoreUnavailableError } from '../errors.ts';
import { describeModerationContract } from './moderation.contract.ts';

let redis: RedisProcess;
beforeAll(async () => { redis = await startTestRedis(); });
afterAll(async () => redis.stop());

function open(keyPrefix = `t${randomBytes(4).toString('hex')}`, feedMode: 'relay' | 'publish' = 'relay', writeBatchMs = 0, rules = CONTRACT_RULES) {
  return RedisBoardStore.connect({
    redis: { url: redis.url, keyPrefix, authSecretArn: null, writeBatchMs }, size: CONTRACT_SIZE, rules, sessionsPerIpPerHour: 2,
    updatesKept: CONTRACT_KEPT, feedMode,
  });
}

/** The statuses of `requests` on a fresh board, sent as one shared call (batchMs > 0) or one at a time; `before` and `after` run around them. */
async function statusesOf(requests: PlaceRequest[], batchMs: number, restoredAt: number, hooks: {
  before?: (store: RedisBoardStore) => Promise<unknown>; after?: (store: RedisBoardStore) => Promise<PlaceOutcome[]>;
} = {}): Promise<string[]> {
  const store = await open(undefined, 'relay', batchMs);
  await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], restoredAt);
  await hooks.before?.(store);
  const answers = batchMs > 0 ? await Promise.all(requests.map((r) => store.place(r))) : [];
  if (batchMs === 0) for (const r of requests) answers.push(await store.place(r));
  if (hooks.after) answers.push(...await hooks.after(store));
  await store.close();
  return answers.map((o) => o.status);
}

// The default: writes only append to the stream, and a relay (here one, as a socket server runs it) publishes.
describeBoardStoreContract('redis (feed relay)', async () => {
  const store = await open();
  const relay = new FeedRelay(store, { tickMs: 5, leaseMs: 1000, pageSize: 1000 }, () => 0);
  relay.start();
  return { store, close: async () => { await relay.stop(); await store.close(); } };
});

describeModerationContract('redis', async () => {
  const store = await open(undefined, 'publish');
  return { store, close: () => store.close() };
});

// The earlier design, kept for comparison: every write publishes itself.
describeBoardStoreContract('redis (publish each write)', async () => {
  const store = await open(undefined, 'publish');
  return { store, close: () => store.close() };
});

describe('redis board store layout', () => {
  it('keeps the pending set a skip list even with one short member (REDIS_SERVER_SETTINGS), where each add and removal is a lookup, not a scan', async () => {
    const store = await open('pending');
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
    await store.place({ x: 3, y: 1, color: 12, userId: 'u', ip: 'i', now: Date.now() });
    const raw = new Redis(redis.url);
    expect(await raw.zcard('{pending}:pending')).toBe(1);
    expect(await raw.object('ENCODING', '{pending}:pending')).toBe('skiplist');
    raw.disconnect();
    await store.close();
  });

  it('stores the board as the BITFIELD u4 layout the HTTP API serves', async () => {
    const store = await open('layout');
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
    await store.place({ x: 3, y: 1, color: 12, userId: 'u', ip: 'i', now: Date.now() });
    const raw = new Redis(redis.url);
    const [value] = (await raw.bitfield('{layout}:board', 'GET', 'u4', '#23')) as number[];
    expect(value).toBe(12);
    raw.disconnect();
    await store.close();
  });

  it('stores and publishes exactly the bytes of the protocol codec (the Lua script cannot import it)', async () => {
    const store = await open('wire', 'publish');
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
    const sub = new Redis(redis.url);
    const published: Buffer[] = [];
    sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => published.push(message));
    await sub.subscribe(store.keys.channel);
    const placed = await store.place({ x: 19, y: 9, color: 14, userId: 'u', ip: 'i', now: Date.now() });
    if (placed.status !== 'placed') throw new Error('not placed');
    const raw = new Redis(redis.url);
    const [[id, fields]] = (await raw.xrangeBuffer(store.keys.updates, '-', '+')) as [[Buffer, Buffer[]]];
    expect(id.toString()).toBe(`${placed.placement.seq}-0`);
    expect(Buffer.from(fields[1]!).equals(Buffer.from(encodePixelRecord(19, 9, 14)))).toBe(true);
    await expect.poll(() => published.length).toBe(1);
    expect(published[0]!.equals(Buffer.from(encodePixelBatch([{ seq: placed.placement.seq, x: 19, y: 9, color: 14 }])))).toBe(true);
    expect(decodeFeedMessage(published[0]!)).toEqual({ type: 'batch' });
    sub.disconnect();
    raw.disconnect();
    await store.close();
  });

  it('keeps the placements of one script call as one stream entry: named by its last seq, holding the codec\'s records in seq order', async () => {
    const store = await open();
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
    const pixels = [{ x: 19, y: 9, color: 14 }, { x: 0, y: 0, color: 1 }, { x: 7, y: 3, color: 15 }];
    const placed = await Promise.all(pixels.map((p, i) => store.place({ ...p, userId: `u${i}`, ip: `i${i}`, now: Date.now() })));
    expect(placed.map((o) => (o.status === 'placed' ? o.placement.seq : o.status))).toEqual([1, 2, 3]);
    const raw = new Redis(redis.url);
    const entries = (await raw.xrangeBuffer(store.keys.updates, '-', '+')) as [Buffer, Buffer[]][];
    expect(entries.map(([id]) => id.toString())).toEqual(['3-0']);
    expect(Buffer.from(entries[0]![1][1]!).equals(Buffer.concat(pixels.map((p) => encodePixelRecord(p.x, p.y, p.color))))).toBe(true);
    raw.disconnect();
    await store.close();
  });

  it('reads updates past one page of stream entries (a round trip each) as one run, up to the limit', async () => {
    const store = await RedisBoardStore.connect({
      redis: { url: redis.url, keyPrefix: `t${randomBytes(4).toString('hex')}`, authSecretArn: null, writeBatchMs: 0 },
      size: CONTRACT_SIZE, rules: { cooldownMs: 0, placementsPerIp: 10_000 }, sessionsPerIpPerHour: 2, updatesKept: 5000,
    });
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
    // One write call each: 1,500 entries of one pixel, more than the first page's 1,024.
    for (let i = 0; i < 1500; i++) await store.place({ x: i % 20, y: i % 10, color: i % 16, userId: 'u', ip: 'i', now: Date.now() });
    const expected = (from: number, count: number) =>
      Array.from({ length: count }, (_, j) => ({ seq: from + j, x: (from - 1 + j) % 20, y: (from - 1 + j) % 10, color: (from - 1 + j) % 16 }));
    const all = await store.updatesSince(10, 5000);
    expect(all.status === 'ok' && batchToUpdates(decodePixelBatch(all.batch))).toEqual(expected(11, 1490));
    expect(all.status === 'ok' && all.lastSeq).toBe(1500);
    const limited = await store.updatesSince(10, 1200);
    expect(limited.status === 'ok' && batchToUpdates(decodePixelBatch(limited.batch))).toEqual(expected(11, 1200));
    await store.close();
  });

  it('writes that share one script call get exactly the answers they would get one at a time, in seq order', async () => {
    const now = Date.now();
    const edge = Math.ceil(now / 300_000) * 300_000;
    const requests: PlaceRequest[] = [
      { x: 1, y: 1, color: 1, userId: 'a', ip: 'ip-a', now },
      { x: 2, y: 1, color: 2, userId: 'a', ip: 'ip-a', now: now + 1 }, // a is cooling down
      { x: 3, y: 1, color: 3, userId: 'b', ip: 'ip-b', now, idempotencyKey: 'k' },
      { x: 4, y: 1, color: 4, userId: 'b', ip: 'ip-b', now: now + 2, idempotencyKey: 'k' }, // a retry: the first answer
      { x: CONTRACT_SIZE.width, y: 0, color: 5, userId: 'c', ip: 'ip-c', now },
      ...['e1', 'e2', 'e3', 'e4'].map((userId, i) => ({ x: 5 + i, y: 2, color: 6 + i, userId, ip: 'shared', now: now + 3 })), // 3 per address
      // f places again after its cooldown: a retry of its first write is answered from the record it moved earlier in the call.
      { x: 10, y: 3, color: 1, userId: 'f', ip: 'ip-f', now, idempotencyKey: 'k1' },
      { x: 11, y: 3, color: 2, userId: 'f', ip: 'ip-f', now: now + 61_000, idempotencyKey: 'k2' },
      { x: 10, y: 3, color: 1, userId: 'f', ip: 'ip-f', now: now + 62_000, idempotencyKey: 'k1' },
      // g's placements fall either side of a bucket's edge (the placements' buckets are 5 minutes here).
      { x: 12, y: 3, color: 3, userId: 'g', ip: 'ip-g', now: edge - 1000 },
      { x: 13, y: 3, color: 4, userId: 'g', ip: 'ip-g', now: edge + 60_000 },
      { x: 14, y: 3, color: 5, userId: 'g', ip: 'ip-g', now: edge + 60_500 },
    ];
    const raw = new Redis(redis.url);
    // ioredis sends a connection's first call of a script as EVAL, later ones as EVALSHA.
    const calls = async () => [...(await raw.info('commandstats')).matchAll(/^cmdstat_eval(?:sha)?:calls=(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);

    const alone = await open();
    await alone.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], now);
    const oneAtATime: PlaceOutcome[] = [];
    for (const r of requests) oneAtATime.push(await alone.place(r));

    const batched = await open(undefined, 'relay', 50);
    await batched.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], now);
    const before = await calls();
    const together = await Promise.all(requests.map((r) => batched.place(r)));
    expect(await calls()).toBe(before + 1);

    expect(together.map((o) => o.status)).toEqual([
      'placed', 'cooldown', 'placed', 'duplicate', 'out_of_bounds', 'placed', 'placed', 'placed', 'ip_limited',
      'placed', 'placed', 'duplicate', 'placed', 'placed', 'cooldown',
    ]);
    expect(together).toEqual(oneAtATime);
    expect(together.flatMap((o) => (o.status === 'placed' ? [o.placement.seq] : []))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(together[11]).toMatchObject({ placement: { seq: 6 } });
    expect(together[5]).toMatchObject({ oldestPendingAt: now });
    // The board, the kept updates and the pending records are the same too.
    expect((await batched.snapshot())?.bytes).toEqual((await alone.snapshot())?.bytes);
    expect(await batched.updatesSince(0, 100)).toEqual(await alone.updatesSince(0, 100));
    // One record for the call, scored by its oldest placement, against one a write: the same placements.
    const bySeq = (placements: Placement[]) => [...placements].sort((p, q) => p.seq - q.seq);
    expect(await raw.zcard(batched.keys.pending)).toBe(1);
    expect(await batched.pendingPersistence(now + 3_600_000, 100)).toEqual(bySeq(await alone.pendingPersistence(now + 3_600_000, 100)));
    raw.disconnect();
    await alone.close();
    await batched.close();
  });

  it('keeps one pending record a write call until every placement of the call is persisted, by its writer or by a drain elsewhere', async () => {
    const now = Date.now();
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const writer = await open(prefix, 'relay', 50);
    await writer.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], now);
    const users = ['ünï-1', 'a:b%dc', 'u3']; // a user id's length is counted in bytes; its characters are not format directives
    const place = (i: number) => writer.place({ x: i, y: 2, color: 3, userId: users[i]!, ip: `ip-${i}`, now: now + i, idempotencyKey: i === 1 ? 'key' : null });
    const outcomes = await Promise.all([place(0), place(1), place(2), writer.place({ x: 9, y: 9, color: 1, userId: 'u3', ip: 'ip-3', now })]);
    expect(outcomes.map((o) => o.status)).toEqual(['placed', 'placed', 'placed', 'cooldown']);
    const placed = outcomes.flatMap((o) => (o.status === 'placed' ? [o.placement] : []));
    const raw = new Redis(redis.url);
    const records = async () => [await raw.zcard(writer.keys.pending), await raw.hlen(writer.keys.pendingCalls)];
    expect(await records()).toEqual([1, 1]);
    expect(await place(1)).toEqual({ status: 'duplicate', placement: placed[1] });

    // Another process drains: it reads the call's placements as the writes were answered.
    const drainer = await open(prefix);
    expect(await drainer.pendingPersistence(now + 1, 10)).toEqual(placed);
    await writer.markPersisted(placed[0]!);
    await writer.markPersisted(placed[2]!);
    expect(await records()).toEqual([1, 1]); // the writer waits for its last placement
    for (const p of placed.slice(0, 2)) await drainer.markPersisted(p);
    expect(await records()).toEqual([1, 1]);
    await drainer.markPersisted(placed[2]!);
    expect(await records()).toEqual([0, 0]);
    expect(await drainer.pendingPersistence(now + 1, 10)).toEqual([]);

    // The writer's own confirmations remove the next call's record once all are persisted.
    const next = await Promise.all([0, 1].map((i) => writer.place({ x: i, y: 3, color: 4, userId: `v${i}`, ip: `ip-v${i}`, now })));
    for (const o of next) if (o.status === 'placed') await writer.markPersisted(o.placement);
    expect(await records()).toEqual([0, 0]);
    raw.disconnect();
    await writer.close();
    await drainer.close();
  });

  it('a rebuild on a live Redis keeps a retry\'s first answer: the restored cooldowns do not overwrite the users\' keys', async () => {
    const now = Date.now();
    const store = await open();
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], now);
    const first = await store.place({ x: 1, y: 1, color: 3, userId: 'ana', ip: 'ip-a', now, idempotencyKey: 'k' });
    if (first.status !== 'placed') throw new Error('not placed');
    const board = await store.snapshot();
    await store.restore({ board: board!.bytes, seq: first.placement.seq, version: first.placement.version }, [{ userId: 'ana', placedAt: now }], now + 10);
    expect(await store.place({ x: 1, y: 1, color: 3, userId: 'ana', ip: 'ip-a', now: now + 20, idempotencyKey: 'k' }))
      .toEqual({ status: 'duplicate', placement: first.placement });
    await store.close();
  });

  it('writers configured with another cooldown (a redeploy) still find every placement and its retry: the first write\'s bucket width is kept', async () => {
    const now = Date.now();
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const before = await open(prefix);
    await before.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], now);
    const first = await before.place({ x: 1, y: 1, color: 3, userId: 'ana', ip: 'ip-a', now, idempotencyKey: 'k' });
    if (first.status !== 'placed') throw new Error('not placed');
    // Ten times the cooldown (and so a bucket ten times as wide, were it taken from the configuration).
    const after = await open(prefix, 'relay', 0, { ...CONTRACT_RULES, cooldownMs: 10 * CONTRACT_RULES.cooldownMs });
    expect(await after.place({ x: 1, y: 1, color: 3, userId: 'ana', ip: 'ip-a', now: now + 1000, idempotencyKey: 'k' }))
      .toEqual({ status: 'duplicate', placement: first.placement });
    expect(await after.place({ x: 2, y: 1, color: 3, userId: 'ana', ip: 'ip-a', now: now + 2000 }))
      .toEqual({ status: 'cooldown', retryAfterMs: 10 * CONTRACT_RULES.cooldownMs - 2000 });
    expect(await after.cooldownStart('ana')).toBe(now);
    await before.close();
    await after.close();
  });

  it('finds a placement stamped a little later than a write\'s own time, across a bucket\'s edge (writers\' clocks differ)', async () => {
    const store = await open();
    const edge = Math.ceil(Date.now() / 300_000) * 300_000; // the buckets are 5 minutes wide here (the Idempotency-Key window)
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], edge - 10_000);
    expect((await store.place({ x: 1, y: 1, color: 3, userId: 'bo', ip: 'ip-b', now: edge + 10 })).status).toBe('placed');
    expect(await store.place({ x: 2, y: 1, color: 3, userId: 'bo', ip: 'ip-b', now: edge - 10 }))
      .toEqual({ status: 'cooldown', retryAfterMs: CONTRACT_RULES.cooldownMs + 20 });
    await store.close();
  });

  it('a shared call refuses banned writers and protected pixels as calls one at a time do', async () => {
    const now = Date.now();
    const requests: PlaceRequest[] = [
      { x: 1, y: 1, color: 1, userId: 'vandal', ip: 'ip-v', now },
      { x: 2, y: 1, color: 2, userId: 'ghost', ip: 'ip-g', now },
      { x: 3, y: 3, color: 3, userId: 'fan', ip: 'ip-f', now }, // inside the protected area
      { x: 5, y: 5, color: 4, userId: 'fine', ip: 'ip-o', now },
    ];
    const moderate = async (store: RedisBoardStore) => {
      await store.setUserBan('vandal', { userId: 'vandal', until: null, shadow: false });
      await store.setUserBan('ghost', { userId: 'ghost', until: null, shadow: true });
      await store.setProtectedAreas([{ name: 'logo', x0: 2, y0: 2, x1: 4, y1: 4 }]);
    };
    const outcomes = (moderated: boolean, batchMs: number) => statusesOf(requests, batchMs, now, moderated ? { before: moderate } : {});
    expect(await outcomes(true, 50)).toEqual(['banned', 'shadow', 'protected', 'placed']);
    expect(await outcomes(true, 0)).toEqual(['banned', 'shadow', 'protected', 'placed']);
    expect(await outcomes(false, 50)).toEqual(['placed', 'placed', 'placed', 'placed']);
  });

  it('a shared call whose writes fall in two address windows counts each write in its own window, as calls one at a time do', async () => {
    const edge = Math.ceil(Date.now() / CONTRACT_RULES.cooldownMs) * CONTRACT_RULES.cooldownMs; // address windows are a cooldown wide
    // One address, a user each: three fill the window before the edge, the fourth is over the cap, the fifth is in the next window.
    const requests: PlaceRequest[] = [-30, -20, -10, -5, 5].map((d, i) => ({ x: i, y: 2, color: 1, userId: `w${i}`, ip: 'ip-w', now: edge + d }));
    // The next window then holds one placement: two more fit, a third does not.
    const after = async (store: RedisBoardStore) => {
      const answers: PlaceOutcome[] = [];
      for (const i of [5, 6, 7]) answers.push(await store.place({ x: i, y: 2, color: 1, userId: `w${i}`, ip: 'ip-w', now: edge + 10 * i }));
      return answers;
    };
    const outcomes = (batchMs: number) => statusesOf(requests, batchMs, edge - 60, { after });
    const expected = ['placed', 'placed', 'placed', 'ip_limited', 'placed', 'placed', 'placed', 'ip_limited'];
    expect(await outcomes(50)).toEqual(expected);
    expect(await outcomes(0)).toEqual(expected);
  });

  it('sends a full batch at once: REDIS_WRITE_BATCH_MAX writes a call at most', async () => {
    const store = await RedisBoardStore.connect({
      redis: { url: redis.url, keyPrefix: `t${randomBytes(4).toString('hex')}`, authSecretArn: null, writeBatchMs: 10_000, writeBatchMax: 2 },
      size: CONTRACT_SIZE, rules: { cooldownMs: 0, placementsPerIp: 100 }, sessionsPerIpPerHour: 2, updatesKept: CONTRACT_KEPT,
    });
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
    // Four writes fill two batches, which go without waiting out the 10 s; the fifth waits for close().
    const full = await Promise.all([1, 2, 3, 4].map((x) => store.place({ x, y: 0, color: 1, userId: 'u', ip: 'i', now: Date.now() })));
    expect(full.map((o) => (o.status === 'placed' ? o.placement.seq : o.status))).toEqual([1, 2, 3, 4]);
    const fifth = store.place({ x: 5, y: 0, color: 1, userId: 'u', ip: 'i', now: Date.now() });
    await store.close();
    await expect(fifth).resolves.toMatchObject({ placement: { seq: 5 } });
  });

  it('a write waiting for its batch still gets its answer when the store closes', async () => {
    const store = await open(undefined, 'relay', 10_000);
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
    const waiting = store.place({ x: 1, y: 1, color: 1, userId: 'u', ip: 'i', now: Date.now() });
    await store.close();
    await expect(waiting).resolves.toMatchObject({ status: 'placed', placement: { seq: 1 } });
  });

  it('with a feed URL, subscribes on the replica: batches the relay publishes on the primary reach it', async () => {
    const replica = await startTestRedis(redis.port);
    const keyPrefix = `f${randomBytes(4).toString('hex')}`;
    const store = await RedisBoardStore.connect({
      redis: { url: redis.url, feedUrl: replica.url, keyPrefix, authSecretArn: null }, size: CONTRACT_SIZE, rules: CONTRACT_RULES,
      sessionsPerIpPerHour: 2, updatesKept: CONTRACT_KEPT,
    });
    const relay = new FeedRelay(store, { tickMs: 5, leaseMs: 1000, pageSize: 1000 }, () => 0);
    const [primary, onReplica] = [new Redis(redis.url), new Redis(replica.url)];
    try {
      await expect.poll(async () => (await onReplica.info('replication')).includes('master_link_status:up'), { timeout: 20_000 }).toBe(true);
      await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
      const seqs: number[] = [];
      const feed = await store.subscribe({
        onBatch: (b) => seqs.push(...batchToUpdates(decodePixelBatch(b)).map((u) => u.seq)), onReset: () => {}, onResize: () => {}, onResync: () => {},
      });
      const subscribers = async (r: Redis) => ((await r.pubsub('NUMSUB', store.keys.channel)) as [string, number])[1];
      expect([await subscribers(primary), await subscribers(onReplica)]).toEqual([0, 1]);
      relay.start();
      for (let x = 0; x < 3; x++) await store.place({ x, y: 0, color: 5, userId: `u${x}`, ip: 'i', now: Date.now() });
      await expect.poll(() => seqs).toEqual([1, 2, 3]);
      await feed.close();
    } finally {
      await relay.stop();
      primary.disconnect();
      onReplica.disconnect();
      await store.close();
      await replica.stop();
    }
  });

  it('a relay that stops hands over at once: the other servers hear the release instead of waiting out a 30 s lease', async () => {
    const keyPrefix = `h${randomBytes(4).toString('hex')}`;
    const [first, second] = [await open(keyPrefix), await open(keyPrefix)];
    const admin = new Redis(redis.url);
    const relays = [first, second].map((store) => new FeedRelay(store, { tickMs: 20, leaseMs: 30_000, pageSize: 1000 }, () => 0));
    try {
      await first.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
      relays[0]!.start();
      await expect.poll(() => relays[0]!.leading).toBe(true);
      relays[1]!.start();
      await expect.poll(() => relays[1]!.lease.stats.tries).toBe(1); // refused, told 30 s
      await expect.poll(async () => ((await admin.pubsub('NUMSUB', first.keys.leases)) as [string, number])[1]).toBe(2);
      await relays[0]!.stop();
      await expect.poll(() => relays[1]!.leading, { timeout: 5_000 }).toBe(true);
      expect(relays[1]!.lease.stats.tries).toBe(2); // one ask more, after the notice: no polling meanwhile
    } finally {
      for (const r of relays) await r.stop();
      admin.disconnect();
      await first.close();
      await second.close();
    }
  });

  it('hears lease releases again after its notice connection is cut, and takes the gap for a release of every lease', async () => {
    const store = await open();
    const admin = new Redis(redis.url);
    try {
      const heard: string[] = [];
      const stop = store.onLeaseReleased((name) => heard.push(name));
      const listening = async () => ((await admin.pubsub('NUMSUB', store.keys.leases)) as [string, number])[1];
      await expect.poll(listening).toBe(1);
      await admin.client('KILL', 'TYPE', 'pubsub');
      // Back: a notice may have been missed meanwhile, so every lease's followers try once.
      await expect.poll(() => [...heard].sort(), { timeout: 10_000 }).toEqual(['publish', 'relay', 'templates']);
      expect(await listening()).toBe(1);
      heard.length = 0;
      await (await store.tryLease('relay', 10_000)).lease!.release();
      await expect.poll(() => heard).toEqual(['relay']);
      stop();
    } finally {
      admin.disconnect();
      await store.close();
    }
  });

  it('fails fast with StoreUnavailableError when Redis is gone', async () => {
    const store = await open();
    const other = await startTestRedis();
    const victim = await RedisBoardStore.connect({
      redis: { url: other.url, keyPrefix: 'x', authSecretArn: null }, size: CONTRACT_SIZE, rules: CONTRACT_RULES, sessionsPerIpPerHour: 2, updatesKept: CONTRACT_KEPT,
    });
    await other.stop();
    const started = Date.now();
    await expect(victim.head()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(5000);
    await victim.close();
    await store.close();
  });
});
