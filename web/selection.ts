// The selected pixel: what a tap, a click or the arrow keys pick, and what Place (or Enter, or
// a second click on it) places. Selecting a pixel too small to see zooms in on it first.
import { MIN_SELECT_ZOOM, SELECT_ZOOM } from './view-state.ts';
import type { ViewportController } from './viewport.ts';

export interface Pixel {
  x: number;
  y: number;
}

export class Selection {
  pixel: Pixel | null = null;
  /** When it was selected (performance.now()): a double click is not two decisions. */
  at = 0;
  private readonly listeners = new Set<(pixel: Pixel | null, how: 'pointer' | 'keyboard' | 'link') => void>();

  constructor(private readonly vp: ViewportController) {}

  onChange(listener: (pixel: Pixel | null, how: 'pointer' | 'keyboard' | 'link') => void): void {
    this.listeners.add(listener);
  }

  is(p: Pixel): boolean {
    return this.pixel !== null && this.pixel.x === p.x && this.pixel.y === p.y;
  }

  select(p: Pixel, how: 'pointer' | 'keyboard' | 'link'): void {
    this.pixel = { x: p.x, y: p.y };
    this.at = performance.now();
    const { view } = this.vp;
    if (view.zoom < MIN_SELECT_ZOOM) {
      // Zoom in on the pixel, keeping it where it is on screen (under the finger that chose it).
      const s = this.vp.toScreen(p.x + 0.5, p.y + 0.5);
      this.vp.zoomAt(SELECT_ZOOM / view.zoom, s.x, s.y);
    }
    this.vp.keepInView(p.x, p.y);
    for (const l of this.listeners) l(this.pixel, how);
  }

  /** Moves the selection by keyboard; the first arrow selects the pixel at the centre of the view. */
  move(dx: number, dy: number): void {
    const from = this.pixel ?? { x: Math.floor(this.vp.view.x), y: Math.floor(this.vp.view.y) };
    const step = this.pixel ? 1 : 0;
    const x = Math.min(this.vp.width - 1, Math.max(0, from.x + dx * step));
    const y = Math.min(this.vp.height - 1, Math.max(0, from.y + dy * step));
    this.select({ x, y }, 'keyboard');
  }

  cancel(): void {
    if (!this.pixel) return;
    this.pixel = null;
    for (const l of this.listeners) l(null, 'pointer');
  }
}
