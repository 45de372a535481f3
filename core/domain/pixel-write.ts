// The pixel write request body: a zod schema for a board of a given size (also what the
// OpenAPI document describes), and a check that names the first bad field with a sentence.
import { z } from 'zod';
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

const coordinate = (limit: number, name: string) => z.number({ error: `${name} must be an integer from 0 to ${limit - 1}.` })
  .int({ error: `${name} must be an integer from 0 to ${limit - 1}.` })
  .min(0, { error: `${name} must be an integer from 0 to ${limit - 1}.` })
  .max(limit - 1, { error: `${name} must be an integer from 0 to ${limit - 1}.` });

/** `{"x", "y", "color"}` on a board of `size` (other properties are ignored). */
export function pixelWriteSchema(size: BoardSize) {
  return z.object({
    x: coordinate(size.width, 'x'),
    y: coordinate(size.height, 'y'),
    color: coordinate(COLOR_COUNT, 'color'),
  }, { error: 'The body must be a JSON object {"x", "y", "color"}.' });
}

const schemas = new Map<string, ReturnType<typeof pixelWriteSchema>>();

export function checkPixelWrite(body: unknown, size: BoardSize): PixelWriteCheck {
  const key = `${size.width}x${size.height}`;
  let schema = schemas.get(key);
  if (!schema) schemas.set(key, (schema = pixelWriteSchema(size)));
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, write: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path[0];
  return field === 'x' || field === 'y' || field === 'color'
    ? { ok: false, field, message: issue.message }
    : { ok: false, field: 'body', message: issue.message };
}

/** Parses "x" and "y" path segments as board coordinates, or null when they are not. */
export function parseCoordinates(xs: string, ys: string, size: BoardSize): { x: number; y: number } | null {
  if (!/^\d{1,5}$/.test(xs) || !/^\d{1,5}$/.test(ys)) return null;
  const x = Number(xs);
  const y = Number(ys);
  return x < size.width && y < size.height ? { x, y } : null;
}
