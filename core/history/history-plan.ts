// What a history request replays: the newest snapshot at or before where it starts, and the
// journal after it until the first placement made after where it ends. The work is bounded
// before any of it is done: at most up to the first snapshot taken after the end (or the live
// head), and a request whose bound is over HISTORY_MAX_REPLAY placements is refused.
import { BadRequestError, PlaceError } from '../errors.ts';
import type { BoardReader } from '../board-store/board-store.ts';
import { createBoard, pixelIndex, resizeBoard, setColorAt, type BoardSize } from '../domain/board-codec.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import type { Placement } from '../domain/placement.ts';
import type { SnapshotMeta, SnapshotStore } from '../snapshots/snapshot-store.ts';

export interface HistoryContext {
  snapshots: SnapshotStore;
  log: Pick<PixelLog, 'replay'>;
  store: Pick<BoardReader, 'head'>;
  /** The size the board started at (BOARD_WIDTH × BOARD_HEIGHT): its size before the first snapshot. */
  size: BoardSize;
  maxReplay: number;
}

/** A moment this long ago is settled: every placement before it is in the journal, so answers about it never change. */
export const SETTLED_MS = 60_000;
/** The journal is read this many seqs at a time (one Cassandra journal bucket), so a replay can stop early. */
const CHUNK = 65_536;
const LIST_TTL_MS = 10_000;

/** A request would replay more than HISTORY_MAX_REPLAY placements: 422 range_too_large. */
export class RangeTooLargeError extends PlaceError {
  constructor(readonly placements: number, readonly limit: number) {
    super(`answering would replay up to ${placements} placements; at most ${limit} are replayed per request`);
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
  /** The most a replay may read: it stops earlier, at the first placement past the end. */
  endSeq: number;
  /** The board's seq and size when planned. */
  headSeq: number;
  headSize: BoardSize;
}

/** The newest snapshot at or before a moment. */
function snapshotBefore(list: readonly SnapshotMeta[], m: Moment): SnapshotMeta | null {
  let found: SnapshotMeta | null = null;
  for (const s of list) if (('at' in m ? s.at <= m.at : s.seq <= m.seq) && (!found || s.seq > found.seq)) found = s;
  return found;
}

/** Plans replays for moments in order (one per run of timelapse frames); refuses if their bounds add up to more than allowed. */
export async function planReplays(ctx: HistoryContext, runs: readonly { from: Moment; until: Moment }[], now = Date.now()): Promise<Plan[]> {
  const head = await ctx.store.head();
  const headSeq = head?.seq ?? 0;
  const headSize = head ? { width: Math.max(head.width, ctx.size.width), height: Math.max(head.height, ctx.size.height) } : ctx.size;
  const list = await listSnapshots(ctx.snapshots, now);
  const plans = runs.map(({ from, until }) => {
    if ('seq' in until && until.seq > headSeq) throw new BadRequestError('invalid_seq', `seq ${until.seq} is after the board's last seq (${headSeq}).`);
    if ('at' in until && until.at > now) throw new BadRequestError('invalid_at', 'That moment is in the future.');
    const start = snapshotBefore(list, from);
    const after = 'at' in until ? list.find((s) => s.at > until.at) : undefined;
    const endSeq = 'seq' in until ? until.seq : Math.min(after?.seq ?? headSeq, headSeq);
    const startSeq = Math.min(start?.seq ?? 0, endSeq);
    return { start: start && start.seq <= endSeq ? start : null, startSeq: start && start.seq <= endSeq ? startSeq : 0, endSeq, headSeq, headSize };
  });
  // A snapshot taken just after a moment may hold placements made just before it (a write's time
  // trails its seq by its duration): the replay reads past endSeq until it sees a later placement.
  const work = plans.reduce((n, p) => n + p.endSeq - p.startSeq, 0);
  if (work > ctx.maxReplay) throw new RangeTooLargeError(work, ctx.maxReplay);
  return plans;
}

export async function planReplay(ctx: HistoryContext, from: Moment, until: Moment, now = Date.now()): Promise<Plan> {
  return (await planReplays(ctx, [{ from, until }], now))[0]!;
}

/**
 * A board being replayed, at the size it had then. The board may grow during an event: a
 * snapshot is taken at each growth (core/service/resize.ts), so the snapshot a replay starts
 * from has the size of its moment; a placement outside it (a growth with no snapshot after it)
 * grows it to the size the board has now, the only later size known.
 */
export class ReplayBoard {
  constructor(public bytes: Uint8Array, public size: BoardSize, private readonly grownSize: BoardSize) {}

  set(x: number, y: number, color: number): void {
    if (x >= this.size.width || y >= this.size.height) {
      const to = { width: Math.max(this.grownSize.width, x + 1), height: Math.max(this.grownSize.height, y + 1) };
      this.bytes = resizeBoard(this.bytes, this.size, to);
      this.size = to;
    }
    setColorAt(this.bytes, pixelIndex(this.size, x, y), color);
  }
}

/** The board a plan starts from: its snapshot, or an empty board of the starting size before the first. */
export async function startBoard(ctx: HistoryContext, plan: Plan): Promise<ReplayBoard> {
  if (!plan.start) return new ReplayBoard(createBoard(ctx.size), ctx.size, plan.headSize);
  const size = { width: plan.start.width, height: plan.start.height };
  return new ReplayBoard(await ctx.snapshots.read(plan.start), size, plan.headSize);
}

export interface Replayed {
  /** Placements visited, and whether their seqs ran without a gap (the journal held every one). */
  visited: number;
  dense: boolean;
  /** The visitor asked to stop (it saw the first placement past the end). */
  stopped: boolean;
}

/**
 * Replays from a plan's start in seq order, a chunk at a time, until `visit` returns false or
 * `limitSeq` (the head, for moments: past the plan's end, but only as far as the placements
 * before the end reach) is passed.
 */
export async function replayFrom(ctx: HistoryContext, plan: Plan, limitSeq: number, visit: (p: Placement) => boolean): Promise<Replayed> {
  const result: Replayed = { visited: 0, dense: true, stopped: false };
  let expected = plan.startSeq + 1;
  for (let after = plan.startSeq; after < limitSeq && !result.stopped; after += CHUNK) {
    await ctx.log.replay(after, Math.min(after + CHUNK, limitSeq), (p) => {
      if (result.stopped) return;
      if (p.seq !== expected) result.dense = false;
      expected = p.seq + 1;
      if (!visit(p)) {
        result.stopped = true;
        return;
      }
      result.visited++;
    });
  }
  return result;
}
