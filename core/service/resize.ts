// Growing the board during an event (r/place 2022 and 2023 did, twice each): `npm run board --
// resize W H`. Writes are fenced for the moment it takes (they get fast 503s with Retry-After,
// as during a rebuild); the new size is durable before the live board grows, so a restore from
// then on makes the board this size. Pixels, seqs and the epoch are kept; socket servers tell
// their clients with a `resize` message. A snapshot is taken at the new size at once: history
// (core/history) learns the board's size at a past moment from the snapshot before it.
import type { BoardHead, BoardReader, BoardWriter, Locks, PersistenceOutbox } from '../board-store/board-store.ts';
import { growthProblem, type BoardSize } from '../domain/board-codec.ts';
import { BadRequestError, RebuildInProgressError } from '../errors.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import type { SnapshotStore } from '../snapshots/snapshot-store.ts';
import { log, metrics, reportFailure } from '../observability/telemetry.ts';
import { takeSnapshot } from './snapshots.ts';

export interface ResizeContext {
  store: BoardReader & BoardWriter & Locks & PersistenceOutbox;
  log: Pick<PixelLog, 'recordBoardSize' | 'record'>;
  /** Where the snapshot at the new size goes (none: no snapshot). */
  snapshots?: SnapshotStore;
  rebuildLockMs: number;
}

export async function resizeBoardLive(ctx: ResizeContext, to: BoardSize): Promise<BoardHead> {
  const lock = await ctx.store.tryLock('rebuild', ctx.rebuildLockMs);
  if (!lock) throw new RebuildInProgressError('a rebuild or another resize holds the board: try again shortly', 2000);
  try {
    const head = await ctx.store.head();
    if (!head) throw new RebuildInProgressError('there is no board to resize: it is being rebuilt', 2000);
    const problem = growthProblem(head, to);
    if (problem) throw new BadRequestError('invalid_size', problem);
    await ctx.log.recordBoardSize(to);
    const grown = await ctx.store.resize(to);
    metrics.count('events', { name: 'board.resized' });
    log.info('board resized', { from: `${head.width}x${head.height}`, to: `${to.width}x${to.height}`, seq: grown.seq });
    // Still fenced: nothing is placed between the growth and this snapshot. The board has grown
    // either way; without it, history draws the new area from the first placement there on.
    if (ctx.snapshots) {
      await takeSnapshot({ store: ctx.store, log: ctx.log, snapshots: ctx.snapshots }).catch((err: unknown) => reportFailure('resize-snapshot', err));
    }
    return grown;
  } finally {
    await lock.release();
  }
}
