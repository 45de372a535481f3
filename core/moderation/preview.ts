// A rollback's dry-run preview: the area as it is and as it would be, side by side (a column
// between them), in the palette's colours. sharp encodes the PNG (as for /api/board.png).
import { colorAt, pixelIndex, type BoardSize } from '../domain/board-codec.ts';
import { PALETTE_RGB } from '../domain/palette.ts';
import { rectHeight, rectWidth, type Rect } from '../domain/moderation.ts';
import type { RollbackChange } from './moderation-log.ts';

const GAP = 2;

export async function renderPreview(board: Uint8Array, size: BoardSize, area: Rect, changes: readonly RollbackChange[]): Promise<string> {
  const w = rectWidth(area);
  const h = rectHeight(area);
  const width = w * 2 + GAP;
  const rgb = new Uint8Array(width * h * 3).fill(0x80);
  const after = new Map(changes.map((c) => [c.y * size.width + c.x, c.after]));
  const put = (px: number, py: number, color: number) => {
    const o = (py * width + px) * 3;
    rgb[o] = PALETTE_RGB[color * 3]!;
    rgb[o + 1] = PALETTE_RGB[color * 3 + 1]!;
    rgb[o + 2] = PALETTE_RGB[color * 3 + 2]!;
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = pixelIndex(size, area.x0 + x, area.y0 + y);
      const now = colorAt(board, i);
      put(x, y, now);
      put(w + GAP + x, y, after.get(i) ?? now);
    }
  }
  const { default: sharp } = await import('sharp');
  const png = await sharp(rgb, { raw: { width, height: h, channels: 3 } }).png().toBuffer();
  return png.toString('base64');
}
