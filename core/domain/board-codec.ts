// The packed board: 4 bits a pixel, pixel i = y·W + x in byte i>>1, high nibble for even i.
// This is exactly the layout Redis `BITFIELD key SET u4 #i` produces, so board bytes move
// between Redis, HTTP and the browser without conversion.
import { PALETTE_RGB } from './palette.ts';

export interface BoardSize {
  readonly width: number;
  readonly height: number;
}

export function boardByteLength(size: BoardSize): number {
  return Math.ceil((size.width * size.height) / 2);
}

export function createBoard(size: BoardSize): Uint8Array {
  return new Uint8Array(boardByteLength(size));
}

export function pixelIndex(size: BoardSize, x: number, y: number): number {
  return y * size.width + x;
}

export function colorAt(board: Uint8Array, index: number): number {
  const byte = board[index >> 1] ?? 0;
  return index & 1 ? byte & 0x0f : byte >> 4;
}

export function setColorAt(board: Uint8Array, index: number, color: number): void {
  const at = index >> 1;
  const byte = board[at] ?? 0;
  board[at] = index & 1 ? (byte & 0xf0) | (color & 0x0f) : (byte & 0x0f) | ((color & 0x0f) << 4);
}

/** Expands the packed board into RGB (3 bytes a pixel) or RGBA (4) for images and canvases. */
export function boardToPixels(board: Uint8Array, size: BoardSize, channels: 3 | 4, out?: Uint8Array): Uint8Array {
  const count = size.width * size.height;
  const target = out ?? new Uint8Array(count * channels);
  for (let i = 0, o = 0; i < count; i++, o += channels) {
    const c = colorAt(board, i) * 3;
    target[o] = PALETTE_RGB[c]!;
    target[o + 1] = PALETTE_RGB[c + 1]!;
    target[o + 2] = PALETTE_RGB[c + 2]!;
    if (channels === 4) target[o + 3] = 255;
  }
  return target;
}

/** The same pixels on a board of another size (a board that grew, or a snapshot from before it did). */
export function resizeBoard(board: Uint8Array, from: BoardSize, to: BoardSize): Uint8Array {
  if (from.width === to.width && from.height === to.height) return board;
  const out = createBoard(to);
  const width = Math.min(from.width, to.width);
  const height = Math.min(from.height, to.height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) setColorAt(out, pixelIndex(to, x, y), colorAt(board, pixelIndex(from, x, y)));
  }
  return out;
}

/** The largest side a board may have (pixel records carry u16 coordinates; 4096² is 8 MB packed). */
export const MAX_BOARD_SIDE = 4096;

/** Why a board of `from` cannot become `to` (a board only grows, up to MAX_BOARD_SIDE a side), or null when it can. */
export function growthProblem(from: BoardSize, to: BoardSize): string | null {
  if (!Number.isInteger(to.width) || !Number.isInteger(to.height) || to.width > MAX_BOARD_SIDE || to.height > MAX_BOARD_SIDE) {
    return `A board is at most ${MAX_BOARD_SIDE}×${MAX_BOARD_SIDE} pixels.`;
  }
  if (to.width < from.width || to.height < from.height) {
    return `A board only grows: it is ${from.width}×${from.height}, and ${to.width}×${to.height} would drop pixels.`;
  }
  if (to.width === from.width && to.height === from.height) return `The board is already ${to.width}×${to.height}.`;
  return null;
}
