// Restores the live board (pixels, seq, write version and running cooldowns) from persistence:
// a board snapshot and the journal of placements after it. Run by `npm run rebuild` (in AWS, as a
// job), and whenever the live store has no board (a fresh Redis, or one that lost its data). While it runs it holds the rebuild lock, which fences
// writes (they get fast 503s); the lock is renewed while the work goes on and runs out soon
// after a crashed rebuild. The seq never goes back: the restored seq is at least the live one.
import { createBoard, pixelIndex, resizeBoard, setColorAt, type BoardSize } from '../domain/board-codec.ts';
import { snapshotAtOrBefore, type SnapshotStore } from '../snapshots/snapshot-store.ts';
import type { CooldownRules } from '../domain/cooldown.ts';
import type { BoardHead, BoardReader, BoardWriter, LiveModeration, Locks, PersistenceOutbox, StoreLock } from '../board-store/board-store.ts';
import { StoreUnavailableError } from '../errors.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import { describeError, log, metrics, reportFailure } from '../observability/telemetry.ts';
import { DEFAULT_DRAIN, persistPending } from './persist-pending.ts';
import { liveModerationState, type ModerationLog } from '../moderation/moderation-log.ts';

export interface RebuildContext {
  store: BoardReader & BoardWriter & PersistenceOutbox & Locks & LiveModeration;
  log: PixelLog;
  /** The configured size: the board's size unless it grew (PixelLog.boardSize) or a snapshot is bigger. */
  size: BoardSize;
  rules: CooldownRules;
  /** The rebuild lock lives this long unless renewed (every third of it) while the rebuild runs. */
  rebuildLockMs: number;
  snapshots: SnapshotStore;
  /** Where the board's state, cooldown, protected areas, bans and roles are kept: put back into the live store too. */
  moderation?: ModerationLog;
  progress?: (line: string) => void;
}

export interface RebuildResult extends BoardHead {
  /** Pixels the replayed placements set. */
  pixels: number;
  /** Placements replayed from the journal, and the snapshot they were replayed onto (null: none). */
  replayed: number;
  fromSnapshotSeq: number | null;
  cooldowns: number;
  ms: number;
}

/** Keeps a lock alive while `work` runs; if it is lost, the work is told by `lost()`. */
async function holding<T>(lock: StoreLock, ttlMs: number, work: (lost: () => boolean) => Promise<T>): Promise<T> {
  let lost = false;
  const timer = setInterval(() => {
    lock.renew(ttlMs).then((ok) => { if (!ok) lost = true; }, (err: unknown) => reportFailure('rebuild-lock-renew', err));
  }, ttlMs / 3);
  try {
    return await work(() => lost);
  } finally {
    clearInterval(timer);
  }
}

/** Rebuilds the live board; null when another process holds the rebuild lock. Counted and timed. */
export async function rebuildBoard(ctx: RebuildContext): Promise<RebuildResult | null> {
  const started = Date.now();
  const lock = await ctx.store.tryLock('rebuild', ctx.rebuildLockMs);
  if (!lock) {
    metrics.count('rebuilds', { outcome: 'lock_held' });
    return null;
  }
  try {
    const result = await holding(lock, ctx.rebuildLockMs, (lost) => restoreFromPersistence(ctx, started, lost));
    metrics.count('rebuilds', { outcome: 'restored' });
    metrics.observe('rebuild_duration', result.ms);
    log.info('board rebuilt', { ...result });
    return result;
  } catch (err) {
    metrics.count('rebuilds', { outcome: 'failed' });
    log.error('board rebuild failed', { error: describeError(err) });
    throw err;
  } finally {
    await lock.release().catch((err: unknown) => reportFailure('rebuild-lock-release', err));
  }
}

async function restoreFromPersistence(ctx: RebuildContext, started: number, lost: () => boolean): Promise<RebuildResult> {
  const say = ctx.progress ?? (() => {});
  say('writes are paused (503) until the board is restored');
  const live = await ctx.store.head();
  // Anything applied live but not yet confirmed durable goes to persistence first, so the
  // rebuilt board equals the live one. Writes are fenced, so this set no longer grows.
  const drained = await persistPending(ctx.store, ctx.log, Number.POSITIVE_INFINITY, { ...DEFAULT_DRAIN, pauseMs: 0, concurrency: 32 });
  if (drained > 0) say(`persisted ${drained} pending placements`);
  // What the write script checks besides cooldowns comes back first (writes are still fenced).
  let cooldownMs = ctx.rules.cooldownMs;
  if (ctx.moderation) {
    const moderation = await liveModerationState(ctx.moderation, ctx.rules.cooldownMs);
    await ctx.store.restoreModeration(moderation);
    cooldownMs = Math.max(cooldownMs, moderation.status.cooldownMs);
    say(`board ${moderation.status.state}, cooldown ${moderation.status.cooldownMs} ms, ${moderation.areas.length} protected areas, ${moderation.bans.length + moderation.ipBans.length} bans, ${moderation.roles.length} roles`);
  }
  const now = Date.now();
  const cooldownFrom = now - cooldownMs;
  // Start from the newest snapshot old enough that the placements after it include every
  // cooldown still running: the work is bounded by the write rate, not by the number of users.
  const base = snapshotAtOrBefore(await ctx.snapshots.list(), cooldownFrom);
  // The size the board grew to during the event, if it did (recorded before it grew), else the configured one.
  const grown = await ctx.log.boardSize();
  const size = {
    width: Math.max(grown?.width ?? 0, ctx.size.width, base?.width ?? 0),
    height: Math.max(grown?.height ?? 0, ctx.size.height, base?.height ?? 0),
  };
  let board = createBoard(size);
  let seq = 0;
  if (base) {
    board = resizeBoard(await ctx.snapshots.read(base), base, size);
    seq = base.seq;
    say(`starting from the snapshot at seq ${base.seq}, taken ${new Date(base.at).toISOString()}`);
  }
  let version = 0;
  let replayed = 0;
  const touched = new Set<number>();
  const lastPlaced = new Map<string, number>();
  await ctx.log.replay(seq, Number.POSITIVE_INFINITY, (p) => {
    if (p.x < size.width && p.y < size.height) {
      const i = pixelIndex(size, p.x, p.y);
      setColorAt(board, i, p.color);
      touched.add(i);
    }
    if (p.seq > seq) seq = p.seq;
    if (p.version > version) version = p.version;
    if (p.placedAt >= cooldownFrom && (lastPlaced.get(p.userId) ?? -1) < p.placedAt) lastPlaced.set(p.userId, p.placedAt);
    if (++replayed % 100_000 === 0) say(`replayed ${replayed} placements`);
  });
  const floor = Math.max(live?.seq ?? 0, await ctx.log.seqFloor());
  if (floor > seq) {
    say(`seq continues from ${floor}, past the last persisted seq ${seq}, so no seq is used twice`);
    seq = floor;
  }
  if (lost()) throw new StoreUnavailableError('the rebuild lock was lost; another rebuild may be running');
  const cooldowns = cooldownMs > 0 ? [...lastPlaced].map(([userId, placedAt]) => ({ userId, placedAt })) : [];
  const head = await ctx.store.restore({ board, seq, version, size }, cooldowns, Date.now());
  const result = { ...head, pixels: touched.size, replayed, fromSnapshotSeq: base?.seq ?? null, cooldowns: cooldowns.length, ms: Date.now() - started };
  say(`board restored: ${touched.size} pixels, seq ${seq}, ${size.width}×${size.height}, epoch ${head.epoch}, from ${base ? `the snapshot at seq ${base.seq} and ` : ''}${replayed} placements after it, ${cooldowns.length} cooldowns, ${result.ms} ms`);
  return result;
}
