// A template's target colours from its PNG (GET /api/templates/{id}.png), read back through a
// canvas: palette indices, NO_PIXEL where transparent; and how a board compares with them.
import { colorAt } from '../../core/domain/board-codec.ts';
import { PALETTE_RGB } from '../../core/domain/palette.ts';
import { NO_PIXEL } from '../../core/community/community-store.ts';
import type { TemplateProgress } from '../../core/community/templates.ts';

export { NO_PIXEL };

/** A template and its progress, as GET /api/templates/{id} answers. */
export type TemplateInfo = TemplateProgress;

export async function loadTarget(image: HTMLImageElement, width: number, height: number): Promise<Uint8Array> {
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(image, 0, 0);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const target = new Uint8Array(width * height).fill(NO_PIXEL);
  for (let i = 0; i < target.length; i++) {
    if (rgba[i * 4 + 3]! < 128) continue;
    for (let c = 0; c < 16; c++) {
      if (rgba[i * 4] === PALETTE_RGB[c * 3] && rgba[i * 4 + 1] === PALETTE_RGB[c * 3 + 1] && rgba[i * 4 + 2] === PALETTE_RGB[c * 3 + 2]) {
        target[i] = c;
        break;
      }
    }
  }
  return target;
}

/** Board coordinates of the template's wrong pixels (at most `limit`), row by row. */
export function wrongPixels(t: TemplateInfo, target: Uint8Array, board: Uint8Array, boardWidth: number, limit: number): { x: number; y: number; want: number }[] {
  const out: { x: number; y: number; want: number }[] = [];
  for (let ty = 0; ty < t.height && out.length < limit; ty++) {
    for (let tx = 0; tx < t.width && out.length < limit; tx++) {
      const want = target[ty * t.width + tx]!;
      if (want === NO_PIXEL) continue;
      const x = t.x + tx;
      const y = t.y + ty;
      if (colorAt(board, y * boardWidth + x) !== want) out.push({ x, y, want });
    }
  }
  return out;
}

/** The template drawn as small centre dots (DOT_SCALE canvas pixels per board pixel). */
export const DOT_SCALE = 3;
export function drawDots(canvas: HTMLCanvasElement, t: TemplateInfo, target: Uint8Array): void {
  canvas.width = t.width * DOT_SCALE;
  canvas.height = t.height * DOT_SCALE;
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < target.length; i++) {
    const c = target[i]!;
    if (c === NO_PIXEL) continue;
    ctx.fillStyle = `rgb(${PALETTE_RGB[c * 3]},${PALETTE_RGB[c * 3 + 1]},${PALETTE_RGB[c * 3 + 2]})`;
    ctx.fillRect((i % t.width) * DOT_SCALE + 1, Math.floor(i / t.width) * DOT_SCALE + 1, 1, 1);
  }
}
