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
