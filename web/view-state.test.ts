import { describe, expect, it } from 'vitest';
import { formatHash, panBy, parseHash, screenToBoard, zoomAt } from './view-state.ts';

describe('view state', () => {
  it('round-trips the view through the URL hash', () => {
    expect(parseHash(formatHash({ x: 12.5, y: 300, zoom: 8 }), 1000, 1000)).toEqual({ x: 12.5, y: 300, zoom: 8 });
    expect(parseHash('#nonsense', 1000, 1000)).toBeNull();
    expect(parseHash('#5000,-3,999', 1000, 1000)).toEqual({ x: 1000, y: 0, zoom: 64 });
  });

  it('maps the viewport centre to the view point and keeps the cursor point fixed when zooming', () => {
    const view = { x: 500, y: 500, zoom: 2 };
    expect(screenToBoard(view, 800, 600, 400, 300)).toEqual({ x: 500, y: 500 });
    const before = screenToBoard(view, 800, 600, 100, 50);
    const zoomed = zoomAt(view, 4, 800, 600, 100, 50);
    const after = screenToBoard(zoomed, 800, 600, 100, 50);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it('pans opposite to the drag, scaled by zoom', () => {
    expect(panBy({ x: 100, y: 100, zoom: 4 }, 40, -20)).toEqual({ x: 90, y: 105, zoom: 4 });
  });
});
