// Drawn over the board, in screen pixels: lines between pixels when zoomed in, an outline
// under the pointer, and the reticle on the selected pixel: white between two black rings,
// so it shows on every colour, and never smaller than a fingertip's worth of screen.
import { GRID_ZOOM } from './view-state.ts';
import type { ViewportController } from './viewport.ts';

const RETICLE_MIN_PX = 14;

export class Overlay {
  selection: { x: number; y: number } | null = null;
  hover: { x: number; y: number } | null = null;
  private frame = 0;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly vp: ViewportController) {
    this.ctx = canvas.getContext('2d')!;
    vp.onChange(() => this.request());
  }

  request(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const { w, h } = this.vp.size();
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const { zoom } = this.vp.view;
    if (zoom >= GRID_ZOOM) this.grid(w, h, zoom);
    if (this.hover && zoom >= 4 && !(this.selection && this.hover.x === this.selection.x && this.hover.y === this.selection.y)) {
      const p = this.vp.toScreen(this.hover.x, this.hover.y);
      ctx.lineWidth = 1;
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.strokeRect(p.x + 0.5, p.y + 0.5, zoom - 1, zoom - 1);
    }
    if (this.selection) this.reticle(zoom);
  }

  private grid(w: number, h: number, zoom: number): void {
    const { width, height } = this.vp;
    const a = this.vp.toScreen(0, 0);
    const x0 = Math.max(0, Math.floor(-a.x / zoom));
    const x1 = Math.min(width, Math.ceil((w - a.x) / zoom));
    const y0 = Math.max(0, Math.floor(-a.y / zoom));
    const y1 = Math.min(height, Math.ceil((h - a.y) / zoom));
    const ctx = this.ctx;
    ctx.beginPath();
    for (let x = x0; x <= x1; x++) {
      const sx = Math.round(a.x + x * zoom) + 0.5;
      ctx.moveTo(sx, a.y + y0 * zoom);
      ctx.lineTo(sx, a.y + y1 * zoom);
    }
    for (let y = y0; y <= y1; y++) {
      const sy = Math.round(a.y + y * zoom) + 0.5;
      ctx.moveTo(a.x + x0 * zoom, sy);
      ctx.lineTo(a.x + x1 * zoom, sy);
    }
    ctx.lineWidth = 1;
    ctx.strokeStyle = `rgba(128,128,128,${Math.min(0.5, (zoom - GRID_ZOOM + 2) / 12)})`;
    ctx.stroke();
  }

  private reticle(zoom: number): void {
    const { x, y } = this.selection!;
    const p = this.vp.toScreen(x, y);
    const size = Math.max(zoom, RETICLE_MIN_PX);
    const left = p.x + zoom / 2 - size / 2;
    const top = p.y + zoom / 2 - size / 2;
    const ctx = this.ctx;
    ctx.lineWidth = 5;
    ctx.strokeStyle = '#000';
    ctx.strokeRect(left - 2, top - 2, size + 4, size + 4);
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#fff';
    ctx.strokeRect(left - 2, top - 2, size + 4, size + 4);
  }
}
