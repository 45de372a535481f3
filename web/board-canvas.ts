// Draws the board on a <canvas> the size of the board, from one ImageData buffer. Pixel
// updates write into the buffer and mark a dirty rectangle; at most one putImageData per
// animation frame however many pixels arrive. Pan and zoom are a CSS transform of the canvas
// (image-rendering: pixelated keeps it crisp at every zoom).
import { PALETTE_RGB } from '../core/domain/palette.ts';
import { colorAt } from '../core/domain/board-codec.ts';
import type { Size, View } from './view-state.ts';

export class BoardCanvas {
  private image: ImageData;
  private readonly ctx: CanvasRenderingContext2D;
  private dirty: { x0: number; y0: number; x1: number; y1: number } | null = null;
  private frameRequested = false;
  /** Called after the canvas changed (at most once a frame): the minimap follows it. */
  onFlush: (() => void) | null = null;

  constructor(readonly canvas: HTMLCanvasElement, private width: number, private height: number) {
    canvas.width = width;
    canvas.height = height;
    this.ctx = canvas.getContext('2d', { alpha: false, willReadFrequently: false })!;
    this.image = this.ctx.createImageData(width, height);
  }

  /** The board grew: a bigger canvas, blank until the next drawBoard. */
  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.canvas.width = width;
    this.canvas.height = height;
    this.image = this.ctx.createImageData(width, height);
  }

  /** Redraws everything from packed board bytes. */
  drawBoard(board: Uint8Array): void {
    const data = this.image.data;
    const count = this.width * this.height;
    for (let i = 0, o = 0; i < count; i++, o += 4) {
      const c = colorAt(board, i) * 3;
      data[o] = PALETTE_RGB[c]!;
      data[o + 1] = PALETTE_RGB[c + 1]!;
      data[o + 2] = PALETTE_RGB[c + 2]!;
      data[o + 3] = 255;
    }
    this.markDirty(0, 0, this.width - 1, this.height - 1);
  }

  setPixel(x: number, y: number, color: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const o = (y * this.width + x) * 4;
    const c = color * 3;
    const data = this.image.data;
    data[o] = PALETTE_RGB[c]!;
    data[o + 1] = PALETTE_RGB[c + 1]!;
    data[o + 2] = PALETTE_RGB[c + 2]!;
    this.markDirty(x, y, x, y);
  }

  private markDirty(x0: number, y0: number, x1: number, y1: number): void {
    const d = this.dirty;
    this.dirty = d ? { x0: Math.min(d.x0, x0), y0: Math.min(d.y0, y0), x1: Math.max(d.x1, x1), y1: Math.max(d.y1, y1) } : { x0, y0, x1, y1 };
    if (!this.frameRequested) {
      this.frameRequested = true;
      requestAnimationFrame(() => this.flush());
    }
  }

  private flush(): void {
    this.frameRequested = false;
    const d = this.dirty;
    if (!d) return;
    this.dirty = null;
    this.ctx.putImageData(this.image, 0, 0, d.x0, d.y0, d.x1 - d.x0 + 1, d.y1 - d.y0 + 1);
    this.onFlush?.();
  }

  /** Places the canvas so that board point (view.x, view.y) is at the viewport centre. */
  applyView(view: View, viewport: Size): void {
    const left = viewport.w / 2 - view.x * view.zoom;
    const top = viewport.h / 2 - view.y * view.zoom;
    this.canvas.style.transform = `translate(${left}px, ${top}px) scale(${view.zoom})`;
  }
}
