// A heatmap: placements per pixel in a window, on a logarithmic scale through "inferno" (a
// perceptually uniform colour map, from d3-scale-chromatic), transparent where nobody placed.
import { interpolateInferno } from 'd3-scale-chromatic';
import type { BoardSize } from '../domain/board-codec.ts';
import { planReplay, replayFrom, type HistoryContext } from './history-plan.ts';

/** 256 colours of the scale, computed once. */
const SCALE: Uint8Array = (() => {
  const out = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    // From a dark purple (0.15) rather than black, so a single placement stands out from the board.
    const hex = interpolateInferno(0.15 + (0.85 * i) / 255);
    const n = Number.parseInt(hex.slice(1), 16);
    out.set([n >> 16, (n >> 8) & 0xff, n & 0xff], i * 3);
  }
  return out;
})();

export interface Heatmap {
  /** Today's board size (placements made before it grew fall inside it too). */
  size: BoardSize;
  counts: Uint32Array;
  max: number;
  replayed: number;
}

export async function countPlacements(ctx: HistoryContext, since: number, until: number, now = Date.now()): Promise<Heatmap> {
  const plan = await planReplay(ctx, { at: since }, { at: until }, now);
  const size = plan.headSize;
  const counts = new Uint32Array(size.width * size.height);
  let max = 0;
  const { visited } = await replayFrom(ctx, plan, plan.headSeq, (p) => {
    if (p.placedAt > until) return false;
    if (p.placedAt < since || p.x >= size.width || p.y >= size.height) return true;
    const i = p.y * size.width + p.x;
    const n = counts[i]! + 1;
    counts[i] = n;
    if (n > max) max = n;
    return true;
  });
  return { size, counts, max, replayed: visited };
}

export async function heatmapPng(h: Heatmap): Promise<Buffer> {
  const { width, height } = h.size;
  const rgba = new Uint8Array(width * height * 4);
  const scale = Math.log1p(Math.max(h.max, 1));
  for (let i = 0; i < h.counts.length; i++) {
    const n = h.counts[i]!;
    if (n === 0) continue;
    const c = Math.round((Math.log1p(n) / scale) * 255) * 3;
    rgba[i * 4] = SCALE[c]!;
    rgba[i * 4 + 1] = SCALE[c + 1]!;
    rgba[i * 4 + 2] = SCALE[c + 2]!;
    rgba[i * 4 + 3] = 255;
  }
  const { default: sharp } = await import('sharp');
  return sharp(rgba, { raw: { width, height, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
}
