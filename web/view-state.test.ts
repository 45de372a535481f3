import { describe, expect, it } from 'vitest';
import { boardToScreen, fitView, formatHash, keepInView, minZoom, MIN_ZOOM, panBy, parseHash, screenToBoard, zoomAt } from './view-state.ts';

const screen = { w: 800, h: 600 };

describe('view state', () => {
  it('round-trips the view through the URL hash', () => {
    expect(parseHash(formatHash({ x: 12.5, y: 300, zoom: 8 }), 1000, 1000)).toEqual({ x: 12.5, y: 300, zoom: 8 });
    expect(parseHash('#nonsense', 1000, 1000)).toBeNull();
    expect(parseHash('#5000,-3,999', 1000, 1000)).toEqual({ x: 1000, y: 0, zoom: 64 });
  });

  it('maps the viewport centre to the view point and keeps the cursor point fixed when zooming', () => {
    const view = { x: 500, y: 500, zoom: 2 };
    expect(screenToBoard(view, screen, 400, 300)).toEqual({ x: 500, y: 500 });
    const before = screenToBoard(view, screen, 100, 50);
    const zoomed = zoomAt(view, 4, screen, 100, 50);
    const after = screenToBoard(zoomed, screen, 100, 50);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    expect(boardToScreen(view, screen, before.x, before.y)).toEqual({ x: 100, y: 50 });
  });

  it('pans opposite to the drag, scaled by zoom', () => {
    expect(panBy({ x: 100, y: 100, zoom: 4 }, 40, -20)).toEqual({ x: 90, y: 105, zoom: 4 });
  });

  it('fits a 1000-pixel board on a 390-pixel phone: the zoom goes below MIN_ZOOM there, and no further out', () => {
    const phone = { w: 390, h: 600 };
    const fit = fitView(1000, 1000, phone);
    expect(fit.zoom * 1000).toBeLessThanOrEqual(390);
    expect(minZoom(1000, 1000, phone)).toBe(fit.zoom);
    expect(zoomAt(fit, 0.1, phone, 195, 300, minZoom(1000, 1000, phone)).zoom).toBe(fit.zoom);
    expect(minZoom(100, 100, screen)).toBe(MIN_ZOOM); // a small board on a big screen: the usual limit
  });

  it('keeps a selected pixel in sight with the smallest pan', () => {
    const view = { x: 100, y: 100, zoom: 10 };
    expect(keepInView(view, screen, 100, 100, 40)).toBe(view);
    const moved = keepInView(view, screen, 150, 100, 40); // 500 px right of centre: off screen
    const p = boardToScreen(moved, screen, 150, 100);
    expect(p.x + 10).toBeCloseTo(screen.w - 40);
    expect(moved.y).toBe(100);
  });
});
