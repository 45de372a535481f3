// Board bytes as images: a region as RGB, and the whole board as a PNG in the exact palette
// colours (sharp, loaded on first use: only the functions that draw ship its native binary).
import { colorAt, type BoardSize } from '../domain/board-codec.ts';
import { PALETTE_RGB } from '../domain/palette.ts';

export interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const regionWidth = (r: Region) => r.x1 - r.x0;
export const regionHeight = (r: Region) => r.y1 - r.y0;

/** What a region shows where the board did not reach yet (it grew later): a dark grey no palette colour is. */
export const OFF_BOARD_RGB = [0x30, 0x30, 0x30] as const;

/** Writes a region of the board as RGB into `out` at `offset`; parts outside the board are OFF_BOARD_RGB. */
export function regionRgb(board: Uint8Array, size: BoardSize, r: Region, out: Uint8Array, offset = 0): void {
  let o = offset;
  for (let y = r.y0; y < r.y1; y++) {
    const inside = y < size.height ? Math.min(r.x1, size.width) : r.x0;
    for (let x = r.x0, i = y * size.width + r.x0; x < inside; x++, i++, o += 3) {
      const c = colorAt(board, i) * 3;
      out[o] = PALETTE_RGB[c]!;
      out[o + 1] = PALETTE_RGB[c + 1]!;
      out[o + 2] = PALETTE_RGB[c + 2]!;
    }
    for (let x = Math.max(inside, r.x0); x < r.x1; x++, o += 3) out.set(OFF_BOARD_RGB, o);
  }
}

export async function boardPng(board: Uint8Array, size: BoardSize): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const rgb = new Uint8Array(size.width * size.height * 3);
  regionRgb(board, size, { x0: 0, y0: 0, x1: size.width, y1: size.height }, rgb);
  return sharp(rgb, { raw: { width: size.width, height: size.height, channels: 3 } }).png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
}
