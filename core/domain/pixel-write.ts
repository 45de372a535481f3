// Validation of a pixel write request body. Plain data in, a PixelWrite or a field error out.
import type { BoardSize } from './board-codec.ts';
import { COLOR_COUNT } from './palette.ts';

export interface PixelWrite {
  x: number;
  y: number;
  color: number;
}

export type PixelWriteCheck =
  | { ok: true; write: PixelWrite }
  | { ok: false; field: 'x' | 'y' | 'color' | 'body'; message: string };

function isIntegerIn(value: unknown, min: number, maxExclusive: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value < maxExclusive;
}

export function checkPixelWrite(body: unknown, size: BoardSize): PixelWriteCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, field: 'body', message: 'The body must be a JSON object {"x", "y", "color"}.' };
  }
  const { x, y, color } = body as Record<string, unknown>;
  if (!isIntegerIn(x, 0, size.width)) {
    return { ok: false, field: 'x', message: `x must be an integer from 0 to ${size.width - 1}.` };
  }
  if (!isIntegerIn(y, 0, size.height)) {
    return { ok: false, field: 'y', message: `y must be an integer from 0 to ${size.height - 1}.` };
  }
  if (!isIntegerIn(color, 0, COLOR_COUNT)) {
    return { ok: false, field: 'color', message: `color must be an integer from 0 to ${COLOR_COUNT - 1}.` };
  }
  return { ok: true, write: { x, y, color } };
}

/** Parses "x" and "y" path segments as board coordinates, or null when they are not. */
export function parseCoordinates(xs: string, ys: string, size: BoardSize): { x: number; y: number } | null {
  if (!/^\d{1,5}$/.test(xs) || !/^\d{1,5}$/.test(ys)) return null;
  const x = Number(xs);
  const y = Number(ys);
  return x < size.width && y < size.height ? { x, y } : null;
}
