// The view of the board: where it is centred and how far zoomed, applied to the canvas, kept
// in the URL (#x,y,zoom) and told to whoever draws over it. The opening view fits the whole
// board in the space between the bars, and keeps fitting it (a phone turned, a window resized)
// until the person pans or zooms.
import type { BoardCanvas } from './board-canvas.ts';
import {
  boardToScreen, clampView, fitView, fitZoom, formatHash, keepInView, minZoom, parseHash, screenToBoard, zoomAt, type Size, type View,
} from './view-state.ts';

export class ViewportController {
  view: View;
  /** Still the fit view the page opened with (so a resize fits again). */
  private fitted: boolean;
  private hashTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(readonly el: HTMLElement, public width: number, public height: number, private readonly canvas: BoardCanvas) {
    const linked = parseHash(location.hash, width, height, this.minZoom());
    this.fitted = !linked;
    this.view = linked ?? fitView(width, height, this.size());
    this.apply();
    new ResizeObserver(() => (this.fitted ? this.fit() : this.set(this.view))).observe(el);
    window.addEventListener('hashchange', () => {
      const v = parseHash(location.hash, this.width, this.height, this.minZoom());
      if (v) this.set(v);
    });
  }

  /** The board grew during the event: same view, more board (still fitting it if it was fitted). */
  resizeBoard(width: number, height: number): void {
    this.width = width;
    this.height = height;
    if (this.fitted) this.fit();
    else this.set(this.view);
  }

  size(): Size {
    return { w: this.el.clientWidth, h: this.el.clientHeight };
  }

  minZoom(): number {
    return minZoom(this.width, this.height, this.size());
  }

  fitZoom(): number {
    return fitZoom(this.width, this.height, this.size());
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  set(next: View): void {
    this.fitted = false;
    this.view = clampView(next, this.width, this.height, this.minZoom());
    this.apply();
  }

  fit(): void {
    this.view = fitView(this.width, this.height, this.size());
    this.apply();
    this.fitted = true;
  }

  zoomAt(factor: number, sx: number, sy: number): void {
    this.set(zoomAt(this.view, factor, this.size(), sx, sy, this.minZoom()));
  }

  zoomCentre(factor: number): void {
    const { w, h } = this.size();
    this.zoomAt(factor, w / 2, h / 2);
  }

  /** The board pixel under a viewport point, or null off the board. */
  pixelAt(sx: number, sy: number): { x: number; y: number } | null {
    const b = screenToBoard(this.view, this.size(), sx, sy);
    const x = Math.floor(b.x);
    const y = Math.floor(b.y);
    return x >= 0 && y >= 0 && x < this.width && y < this.height ? { x, y } : null;
  }

  /** The viewport point of a pixel's top-left corner. */
  toScreen(x: number, y: number): { x: number; y: number } {
    return boardToScreen(this.view, this.size(), x, y);
  }

  /** Pans (only if needed) so that the pixel is well inside the viewport. */
  keepInView(x: number, y: number): void {
    const next = keepInView(this.view, this.size(), x, y, 72); // clear of the pixel card at the top
    if (next !== this.view) this.set(next);
  }

  private apply(): void {
    this.canvas.applyView(this.view, this.size());
    clearTimeout(this.hashTimer);
    this.hashTimer = setTimeout(() => history.replaceState(null, '', formatHash(this.view)), 200);
    for (const l of this.listeners) l();
  }
}
