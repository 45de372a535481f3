// A timelapse: one pass over the journal from the snapshot before `from` to past `to`, a frame
// of the region each time the replay passes a frame's moment, encoded as a lossless animated
// WebP by sharp (libwebp). Work: the placements replayed plus frames × area; both are bounded
// (HISTORY_MAX_REPLAY, TIMELAPSE_LIMITS).
import { pixelIndex, setColorAt } from '../domain/board-codec.ts';
import { planReplay, replayPlan, startBoard, type HistoryContext } from './history-plan.ts';
import { regionHeight, regionRgb, regionWidth } from './board-image.ts';
import { frameTime, type TimelapseParams } from './timelapse-params.ts';

export interface TimelapseResult {
  webp: Buffer;
  /** Placements replayed, and how long the replay and the encoding took. */
  replayed: number;
  replayMs: number;
  encodeMs: number;
}

export async function renderTimelapse(ctx: HistoryContext, p: TimelapseParams, now = Date.now()): Promise<TimelapseResult> {
  const started = performance.now();
  const plan = await planReplay(ctx, { at: p.from }, { at: p.to }, now);
  const board = await startBoard(ctx, plan);
  const w = regionWidth(p);
  const h = regionHeight(p);
  const frameBytes = w * h * 3;
  const frames = new Uint8Array(frameBytes * p.frames);
  let next = 0;
  const emitUntil = (placedAt: number) => {
    while (next < p.frames && frameTime(p, next) < placedAt) {
      regionRgb(board, ctx.size, p, frames, next * frameBytes);
      next++;
    }
  };
  const replayed = await replayPlan(ctx, plan, (placement) => {
    if (next >= p.frames) return;
    emitUntil(placement.placedAt);
    setColorAt(board, pixelIndex(ctx.size, placement.x, placement.y), placement.color);
  });
  emitUntil(Number.POSITIVE_INFINITY);
  const replayMs = performance.now() - started;
  const { default: sharp } = await import('sharp');
  const webp = await sharp(frames, { raw: { width: w, height: h * p.frames, channels: 3, pageHeight: h } })
    .webp({ lossless: true, effort: 1, loop: 0, delay: new Array<number>(p.frames).fill(Math.round(1000 / p.fps)) })
    .toBuffer();
  return { webp, replayed, replayMs, encodeMs: performance.now() - started - replayMs };
}
