// A timelapse: the region at evenly spaced moments, encoded as a lossless animated WebP by sharp
// (libwebp). Frames are grouped into runs with no snapshot between them; each run starts from the
// newest snapshot at or before its first frame and replays the journal until the first
// placement after its last frame, taking a frame each time the replay passes a frame's moment.
// So frames sparser than snapshots skip the placements between them. Work: the placements
// replayed (bounded by HISTORY_MAX_REPLAY before it starts) plus frames × area (TIMELAPSE_LIMITS).
// The region is on today's board; in frames from before the board grew, what was not yet board
// is drawn in OFF_BOARD_RGB.
import { listSnapshots, planReplays, replayFrom, startBoard, type HistoryContext } from './history-plan.ts';
import { regionHeight, regionRgb, regionWidth } from './board-image.ts';
import { frameTime, type TimelapseParams } from './timelapse-params.ts';

export interface TimelapseResult {
  webp: Buffer;
  /** Placements replayed, and how long the replay and the encoding took. */
  replayed: number;
  replayMs: number;
  encodeMs: number;
}

/** Frame indexes in runs: a new run starts at a frame that has a snapshot since the one before it. */
export function frameRuns(times: readonly number[], snapshotTimes: readonly number[]): number[][] {
  const runs: number[][] = [];
  for (let i = 0; i < times.length; i++) {
    const since = i > 0 && snapshotTimes.some((at) => at > times[i - 1]! && at <= times[i]!);
    if (i === 0 || since) runs.push([i]);
    else runs.at(-1)!.push(i);
  }
  return runs;
}

export async function renderTimelapse(ctx: HistoryContext, p: TimelapseParams, now = Date.now()): Promise<TimelapseResult> {
  const started = performance.now();
  const times = Array.from({ length: p.frames }, (_, i) => frameTime(p, i));
  const runs = frameRuns(times, (await listSnapshots(ctx.snapshots, now)).map((s) => s.at));
  const plans = await planReplays(ctx, runs.map((r) => ({ from: { at: times[r[0]!]! }, until: { at: times[r.at(-1)!]! } })), now);
  const w = regionWidth(p);
  const h = regionHeight(p);
  const frameBytes = w * h * 3;
  const frames = new Uint8Array(frameBytes * p.frames);
  let replayed = 0;
  for (const [k, run] of runs.entries()) {
    const plan = plans[k]!;
    const board = await startBoard(ctx, plan);
    let next = 0;
    const emitUntil = (placedAt: number) => {
      while (next < run.length && times[run[next]!]! < placedAt) regionRgb(board.bytes, board.size, p, frames, run[next++]! * frameBytes);
    };
    const result = await replayFrom(ctx, plan, plan.headSeq, (placement) => {
      emitUntil(placement.placedAt);
      if (next >= run.length) return false;
      board.set(placement.x, placement.y, placement.color);
      return true;
    });
    emitUntil(Number.POSITIVE_INFINITY);
    replayed += result.visited;
  }
  const replayMs = performance.now() - started;
  const { default: sharp } = await import('sharp');
  const webp = await sharp(frames, { raw: { width: w, height: h * p.frames, channels: 3, pageHeight: h } })
    .webp({ lossless: true, effort: 1, loop: 0, delay: new Array<number>(p.frames).fill(Math.round(1000 / p.fps)) })
    .toBuffer();
  return { webp, replayed, replayMs, encodeMs: performance.now() - started - replayMs };
}
