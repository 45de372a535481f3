// The overview inset when zoomed in: the whole board, small, with a frame around what the
// viewport shows. A tap on it moves the view there. Hidden while most of the board is in view.
import type { ViewportController } from './viewport.ts';
import { screenToBoard } from './view-state.ts';

const SHOW_ABOVE_FIT = 2.5;
const REDRAW_MS = 1000;

export class Minimap {
  private readonly ctx: CanvasRenderingContext2D;
  private frame = 0;
  private lastBoardDraw = 0;
  private pendingBoard: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly board: HTMLCanvasElement, private readonly vp: ViewportController) {
    this.ctx = canvas.getContext('2d')!;
    vp.onChange(() => this.request());
    const go = (e: PointerEvent) => {
      e.stopPropagation(); // not a tap on the board under it
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      this.vp.set({ ...this.vp.view, x: ((e.clientX - r.left) / r.width) * vp.width, y: ((e.clientY - r.top) / r.height) * vp.height });
    };
    canvas.addEventListener('pointerdown', go);
  }

  /** The board changed: redraw, but at most once a second. */
  boardChanged(): void {
    if (this.canvas.hidden || this.pendingBoard) return;
    const wait = Math.max(0, this.lastBoardDraw + REDRAW_MS - performance.now());
    this.pendingBoard = setTimeout(() => {
      this.pendingBoard = undefined;
      this.request();
    }, wait);
  }

  private request(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const show = this.vp.view.zoom > this.vp.fitZoom() * SHOW_ABOVE_FIT;
    this.canvas.hidden = !show;
    if (!show) return;
    const cssW = this.canvas.clientWidth;
    const cssH = Math.round((cssW * this.vp.height) / this.vp.width);
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(cssW * dpr)) {
      this.canvas.width = Math.round(cssW * dpr);
      this.canvas.height = Math.round(cssH * dpr);
      this.canvas.style.height = `${cssH}px`;
    }
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.board, 0, 0, this.canvas.width, this.canvas.height);
    this.lastBoardDraw = performance.now();
    const size = this.vp.size();
    const a = screenToBoard(this.vp.view, size, 0, 0);
    const b = screenToBoard(this.vp.view, size, size.w, size.h);
    const k = this.canvas.width / this.vp.width;
    ctx.lineWidth = Math.max(1, dpr * 1.5);
    ctx.strokeStyle = '#000';
    ctx.strokeRect(a.x * k - 1, a.y * k - 1, (b.x - a.x) * k + 2, (b.y - a.y) * k + 2);
    ctx.strokeStyle = '#ffb020';
    ctx.strokeRect(a.x * k, a.y * k, (b.x - a.x) * k, (b.y - a.y) * k);
  }
}
