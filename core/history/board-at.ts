// The board as it was at a moment or after a seq, exactly: the nearest snapshot at or before,
// plus the journal's placements after it in seq order, up to the seq, or up to (not including)
// the first placement made after the moment.
import type { BoardSize } from '../domain/board-codec.ts';
import { planReplay, replayFrom, SETTLED_MS, startBoard, type HistoryContext, type Moment } from './history-plan.ts';

export interface PastBoard {
  bytes: Uint8Array;
  /** The board's size then (it may have grown since). */
  size: BoardSize;
  /** The last seq in these bytes. */
  seq: number;
  /** Whether the answer can never change (a settled moment, with every placement up to it in the journal). */
  settled: boolean;
}

export async function boardAt(ctx: HistoryContext, moment: Moment, now = Date.now()): Promise<PastBoard> {
  const plan = await planReplay(ctx, moment, moment, now);
  const board = await startBoard(ctx, plan);
  let seq = plan.startSeq;
  const limit = 'seq' in moment ? moment.seq : plan.headSeq;
  const replayed = await replayFrom(ctx, plan, limit, (p) => {
    if ('at' in moment && p.placedAt > moment.at) return false;
    board.set(p.x, p.y, p.color);
    seq = p.seq;
    return true;
  });
  // Seqs are dense: a journal that holds every placement up to the answer's seq visited them all
  // without a gap (and, for a seq, reached it).
  const complete = replayed.dense && ('seq' in moment ? seq === moment.seq : replayed.stopped || seq === plan.headSeq);
  const settled = complete && ('at' in moment ? moment.at <= now - SETTLED_MS : true);
  return { bytes: board.bytes, size: board.size, seq, settled };
}
