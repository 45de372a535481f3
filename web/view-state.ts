// Pan and zoom as plain numbers: the board point at the centre of the viewport and the zoom
// (screen pixels per board pixel). Kept in the URL as #x,y,zoom so a link shows the same spot.

export interface View {
  x: number;
  y: number;
  zoom: number;
}

export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 64;

export function clampView(view: View, width: number, height: number): View {
  return {
    x: Math.min(Math.max(view.x, 0), width),
    y: Math.min(Math.max(view.y, 0), height),
    zoom: Math.min(Math.max(view.zoom, MIN_ZOOM), MAX_ZOOM),
  };
}

/** The view that fits the whole board in a viewport. */
export function fitView(width: number, height: number, viewportW: number, viewportH: number): View {
  return { x: width / 2, y: height / 2, zoom: Math.max(MIN_ZOOM, Math.min(viewportW / width, viewportH / height) * 0.95) };
}

export function parseHash(hash: string, width: number, height: number): View | null {
  const m = /^#?(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/.exec(hash);
  if (!m) return null;
  return clampView({ x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) }, width, height);
}

export function formatHash(view: View): string {
  const r = (n: number) => Math.round(n * 100) / 100;
  return `#${r(view.x)},${r(view.y)},${r(view.zoom)}`;
}

/** The board coordinates under a viewport point. */
export function screenToBoard(view: View, viewportW: number, viewportH: number, sx: number, sy: number): { x: number; y: number } {
  return { x: view.x + (sx - viewportW / 2) / view.zoom, y: view.y + (sy - viewportH / 2) / view.zoom };
}

/** Zooms by `factor` keeping the board point under (sx, sy) where it is on screen. */
export function zoomAt(view: View, factor: number, viewportW: number, viewportH: number, sx: number, sy: number): View {
  const zoom = Math.min(Math.max(view.zoom * factor, MIN_ZOOM), MAX_ZOOM);
  const anchor = screenToBoard(view, viewportW, viewportH, sx, sy);
  return { x: anchor.x - (sx - viewportW / 2) / zoom, y: anchor.y - (sy - viewportH / 2) / zoom, zoom };
}

export function panBy(view: View, dxScreen: number, dyScreen: number): View {
  return { ...view, x: view.x - dxScreen / view.zoom, y: view.y - dyScreen / view.zoom };
}
