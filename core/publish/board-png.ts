// The board as a PNG in the exact palette colours (sharp: libvips, fast and maintained), for
// GET /api/board.png and the published PNG. Loaded on first use: only what serves PNGs ships
// sharp's native binary.
import { boardToPixels, type BoardSize } from '../domain/board-codec.ts';

export async function encodeBoardPng(board: Uint8Array, size: BoardSize): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp(boardToPixels(board, size, 3), { raw: { width: size.width, height: size.height, channels: 3 } })
    .png({ compressionLevel: 6, adaptiveFiltering: false })
    .toBuffer();
}
