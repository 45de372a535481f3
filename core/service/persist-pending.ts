// Placements the live store applied but whose persistence was never confirmed (the writer got
// a store fault, or died) are recorded again. Recording is idempotent, so doing it twice is
// safe. One drain at a time per process and across processes (a store lock), in bounded,
// paced batches, so recovering from an outage cannot flood persistence or pile up requests.
import type { Locks, PersistenceOutbox, StoreLock } from '../board-store/board-store.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';

export interface DrainOptions {
  /** Placements read from the pending set at a time. */
  batchSize: number;
  /** Records in flight at once. */
  concurrency: number;
  /** Pause between batches, so live writes keep their share of persistence. */
  pauseMs: number;
}

export const DEFAULT_DRAIN: DrainOptions = { batchSize: 200, concurrency: 16, pauseMs: 5 };

/** Records every pending placement placed before `placedBefore`; returns how many. Throws on the first failure. */
export async function persistPending(
  store: PersistenceOutbox, log: Pick<PixelLog, 'record'>, placedBefore: number, options: DrainOptions = DEFAULT_DRAIN, lock?: StoreLock,
): Promise<number> {
  let total = 0;
  while (true) {
    const batch = await store.pendingPersistence(placedBefore, options.batchSize);
    if (batch.length === 0) return total;
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(options.concurrency, batch.length) }, async () => {
      while (next < batch.length) {
        const p = batch[next++]!;
        await log.record(p);
        await store.markPersisted(p);
      }
    }));
    total += batch.length;
    if (lock && !(await lock.renew(DRAIN_LOCK_MS))) return total; // another process took over
    if (options.pauseMs > 0) await new Promise((r) => setTimeout(r, options.pauseMs));
  }
}

const DRAIN_LOCK_MS = 30_000;

/** Runs at most one drain at a time in this process, and only while holding the store's drain lock. */
export class PendingDrainer {
  private running: Promise<number> | null = null;
  readonly stats = { runs: 0, persisted: 0, failures: 0 };

  constructor(
    private readonly store: PersistenceOutbox & Locks, private readonly log: Pick<PixelLog, 'record'>, private readonly options: DrainOptions = DEFAULT_DRAIN,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  get busy(): boolean {
    return this.running !== null;
  }

  /** Starts a drain of placements older than `placedBefore` unless one is running; never throws. */
  kick(placedBefore: number): Promise<number> {
    this.running ??= this.drain(placedBefore).finally(() => { this.running = null; });
    return this.running;
  }

  private async drain(placedBefore: number): Promise<number> {
    let lock: StoreLock | null = null;
    try {
      lock = await this.store.tryLock('drain', DRAIN_LOCK_MS);
      if (!lock) return 0;
      this.stats.runs++;
      const n = await persistPending(this.store, this.log, placedBefore, this.options, lock);
      this.stats.persisted += n;
      return n;
    } catch (err) {
      this.stats.failures++;
      this.onError(err);
      return 0;
    } finally {
      await lock?.release().catch((err: unknown) => this.onError(err));
    }
  }
}
