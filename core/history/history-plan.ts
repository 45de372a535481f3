// What a history request replays: the newest snapshot at or before where it starts, and the
// journal after it up to a seq that surely covers where it ends (the first snapshot taken well
// after that moment, or the live head). The work is known before any of it is done, and a
// request that would replay more than HISTORY_MAX_REPLAY placements is refused.
import { BadRequestError, PlaceError } from '../errors.ts';
import type { BoardReader } from '../board-store/board-store.ts';
import { createBoard, resizeBoard, type BoardSize } from '../domain/board-codec.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import type { Placement } from '../domain/placement.ts';
import type { SnapshotMeta, SnapshotStore } from '../snapshots/snapshot-store.ts';

export interface HistoryContext {
  snapshots: SnapshotStore;
  log: Pick<PixelLog, 'replay'>;
  store: Pick<BoardReader, 'head'>;
  size: BoardSize;
  maxReplay: number;
}

/** A placement's time may trail its seq by a write's duration: a snapshot this much after a moment surely holds it. */
export const SNAPSHOT_SLACK_MS = 10_000;
/** A moment this long ago is settled: every placement before it is in the journal, so answers about it never change. */
export const SETTLED_MS = 60_000;
const LIST_TTL_MS = 10_000;

/** A request would replay more than HISTORY_MAX_REPLAY placements: 422 range_too_large. */
export class RangeTooLargeError extends PlaceError {
  constructor(readonly placements: number, readonly limit: number) {
    super(`answering would replay ${placements} placements; at most ${limit} are replayed per request`);
  }
}

let listed: { store: SnapshotStore; at: number; list: Promise<SnapshotMeta[]> } | null = null;

/** The snapshot list, read at most every 10 s per process (S3 lists are paged and billed). */
export function listSnapshots(store: SnapshotStore, now = Date.now()): Promise<SnapshotMeta[]> {
  if (!listed || listed.store !== store || now - listed.at > LIST_TTL_MS) {
    const list = store.list();
    listed = { store, at: now, list };
    list.catch(() => { if (listed?.list === list) listed = null; });
  }
  return listed.list;
}

export type Moment = { at: number } | { seq: number };

export interface Plan {
  start: SnapshotMeta | null;
  startSeq: number;
  endSeq: number;
}

export async function planReplay(ctx: HistoryContext, from: Moment, until: Moment, now = Date.now()): Promise<Plan> {
  const head = await ctx.store.head();
  const headSeq = head?.seq ?? 0;
  if ('seq' in until && until.seq > headSeq) throw new BadRequestError('invalid_seq', `seq ${until.seq} is after the board's last seq (${headSeq}).`);
  if ('at' in until && until.at > now) throw new BadRequestError('invalid_at', 'That moment is in the future.');
  const list = await listSnapshots(ctx.snapshots, now);
  let start: SnapshotMeta | null = null;
  for (const s of list) {
    const before = 'at' in from ? s.at <= from.at : s.seq <= from.seq;
    if (before && (!start || s.seq > start.seq)) start = s;
  }
  let endSeq = headSeq;
  if ('seq' in until) endSeq = until.seq;
  else {
    const after = list.find((s) => s.at > until.at + SNAPSHOT_SLACK_MS);
    if (after) endSeq = Math.min(after.seq, headSeq);
  }
  const startSeq = start?.seq ?? 0;
  if (endSeq - startSeq > ctx.maxReplay) throw new RangeTooLargeError(endSeq - startSeq, ctx.maxReplay);
  return { start, startSeq: Math.min(startSeq, endSeq), endSeq };
}

/** The board bytes a plan starts from (an empty board before the first snapshot). */
export async function startBoard(ctx: HistoryContext, plan: Plan): Promise<Uint8Array> {
  if (!plan.start) return createBoard(ctx.size);
  const bytes = await ctx.snapshots.read(plan.start);
  return resizeBoard(bytes, { width: plan.start.width, height: plan.start.height }, ctx.size);
}

/** Replays a plan's placements; returns how many were visited (fewer than endSeq − startSeq means the journal lacks some yet). */
export async function replayPlan(ctx: HistoryContext, plan: Plan, visit: (p: Placement) => void): Promise<number> {
  let visited = 0;
  if (plan.endSeq <= plan.startSeq) return 0;
  await ctx.log.replay(plan.startSeq, plan.endSeq, (p) => {
    visited++;
    visit(p);
  });
  return visited;
}
