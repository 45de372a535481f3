// Growing the board during an event (r/place 2022 and 2023 did, twice each): `npm run board --
// resize W H`. Writes are fenced for the moment it takes (they get fast 503s with Retry-After,
// as during a rebuild); the new size is durable before the live board grows, so a restore from
// then on makes the board this size. Pixels, seqs and the epoch are kept; socket servers tell
// their clients with a `resize` message.
import type { BoardHead, BoardReader, BoardWriter, Locks } from '../board-store/board-store.ts';
import { growthProblem, type BoardSize } from '../domain/board-codec.ts';
import { BadRequestError, RebuildInProgressError } from '../errors.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import { log, metrics } from '../observability/telemetry.ts';

export interface ResizeContext {
  store: BoardReader & BoardWriter & Locks;
  log: Pick<PixelLog, 'recordBoardSize'>;
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
    return grown;
  } finally {
    await lock.release();
  }
}
