// The query of GET /api/timelapse.webp, checked and bounded: how many frames, how large, over
// which past window. The parameters determine the output, so it is generated once and stored
// under a key made from them.
import { createHash } from 'node:crypto';
import { BadRequestError } from '../errors.ts';
import type { BoardSize } from '../domain/board-codec.ts';
import { regionHeight, regionWidth, type Region } from './board-image.ts';
import { SETTLED_MS } from './history-plan.ts';

export const TIMELAPSE_LIMITS = {
  maxFrames: 300,
  defaultFrames: 60,
  maxFps: 30,
  defaultFps: 10,
  /** frames × region area: bounds the raw frames held at once (3 bytes each: 120 MB at the limit). */
  maxPixelFrames: 40_000_000,
} as const;

export interface TimelapseParams extends Region {
  from: number;
  to: number;
  frames: number;
  fps: number;
}

type Query = (name: string) => string | undefined;

function intParam(q: Query, name: string, fallback: number | null, min: number, max: number): number {
  const raw = q(name);
  const code = /\d/.test(name) ? 'invalid_region' : `invalid_${name}`;
  if (raw === undefined || raw === '') {
    if (fallback === null) throw new BadRequestError(code, `"${name}" is required.`);
    return fallback;
  }
  if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new BadRequestError(code, `"${name}" must be an integer from ${min} to ${max}.`);
  }
  return Number(raw);
}

export function parseTimelapseParams(q: Query, size: BoardSize, now: number): TimelapseParams {
  const to = intParam(q, 'to', null, 0, now - SETTLED_MS);
  const from = intParam(q, 'from', null, 0, to - 1);
  const x0 = intParam(q, 'x0', 0, 0, size.width - 1);
  const y0 = intParam(q, 'y0', 0, 0, size.height - 1);
  const x1 = intParam(q, 'x1', size.width, x0 + 1, size.width);
  const y1 = intParam(q, 'y1', size.height, y0 + 1, size.height);
  const region = { x0, y0, x1, y1 };
  const area = regionWidth(region) * regionHeight(region);
  const maxFrames = Math.min(TIMELAPSE_LIMITS.maxFrames, Math.floor(TIMELAPSE_LIMITS.maxPixelFrames / area));
  if (maxFrames < 2) throw new BadRequestError('invalid_region', 'The region is too large.');
  const frames = intParam(q, 'frames', Math.min(TIMELAPSE_LIMITS.defaultFrames, maxFrames), 2, maxFrames);
  const fps = intParam(q, 'fps', TIMELAPSE_LIMITS.defaultFps, 1, TIMELAPSE_LIMITS.maxFps);
  return { from, to, frames, fps, ...region };
}

/** The media key a timelapse is stored under: the board size and every parameter, hashed. */
export function timelapseKey(p: TimelapseParams, size: BoardSize): string {
  const canonical = [size.width, size.height, p.from, p.to, p.frames, p.fps, p.x0, p.y0, p.x1, p.y1].join(',');
  return `timelapse/${createHash('sha256').update(canonical).digest('base64url').slice(0, 32)}.webp`;
}

/** The moment frame `i` shows. */
export function frameTime(p: Pick<TimelapseParams, 'from' | 'to' | 'frames'>, i: number): number {
  return p.from + Math.round(((p.to - p.from) * i) / (p.frames - 1));
}
