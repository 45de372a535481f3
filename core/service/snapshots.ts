// Taking board snapshots: the live board at a seq, once every placement up to that seq is
// persisted (so a restore from it plus the journal after it is exact), every
// SNAPSHOT_INTERVAL_MS by whichever process holds the snapshot lock.
import type { BoardReader, Locks, PersistenceOutbox } from '../board-store/board-store.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import type { SnapshotMeta, SnapshotStore } from '../snapshots/snapshot-store.ts';
import { log, metrics, reportFailure } from '../observability/telemetry.ts';
import { DEFAULT_DRAIN, persistPending } from './persist-pending.ts';

export interface SnapshotContext {
  store: BoardReader & PersistenceOutbox & Locks;
  log: Pick<PixelLog, 'record'>;
  snapshots: SnapshotStore;
}

/** Takes one snapshot now; null when there is no board yet. */
export async function takeSnapshot(ctx: SnapshotContext, now = Date.now()): Promise<SnapshotMeta | null> {
  const snap = await ctx.store.snapshot();
  if (!snap) return null;
  // A placement in these bytes may still be pending persistence: record it first (harmless if
  // its writer does too), or a restore from this snapshot could hold a pixel the journal lacks.
  await persistPending(ctx.store, ctx.log, Number.POSITIVE_INFINITY, DEFAULT_DRAIN);
  const meta = await ctx.snapshots.put({ bytes: snap.bytes, seq: snap.seq, epoch: snap.epoch, at: now, width: snap.width, height: snap.height });
  metrics.count('events', { name: 'snapshot.taken' });
  log.info('board snapshot taken', { seq: meta.seq, key: meta.key, ms: Date.now() - now });
  return meta;
}

/** Takes a snapshot every `intervalMs` if no other process is; returns a stop function. */
export function scheduleSnapshots(ctx: SnapshotContext, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      const lock = await ctx.store.tryLock('snapshot', intervalMs);
      if (!lock) return; // another process takes this one; the lock lives one interval
      await takeSnapshot(ctx);
    })().catch((err: unknown) => reportFailure('snapshot', err)).finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
