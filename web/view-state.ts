// Pan and zoom as plain numbers: the board point at the centre of the viewport and the zoom
// (screen pixels per board pixel). Kept in the URL as #x,y,zoom so a link shows the same spot.

export interface View {
  x: number;
  y: number;
  zoom: number;
}

export interface Size {
  w: number;
  h: number;
}

/** Out from here only as far as the fit zoom, when the whole board needs less (a phone). */
export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 64;
/** Below this many screen pixels per board pixel nobody can see which pixel a tap hit. */
export const MIN_SELECT_ZOOM = 6;
/** Where a tap at a smaller zoom takes the view. */
export const SELECT_ZOOM = 14;
/** From here on, lines between pixels are drawn. */
export const GRID_ZOOM = 8;

/** The zoom at which the whole board fits the viewport, with a little margin. */
export function fitZoom(width: number, height: number, viewport: Size): number {
  return Math.min(viewport.w / width, viewport.h / height) * 0.95;
}

/** How far out one may zoom: MIN_ZOOM, or less when the board would not fit at MIN_ZOOM. */
export function minZoom(width: number, height: number, viewport: Size): number {
  return Math.min(MIN_ZOOM, fitZoom(width, height, viewport));
}

export function clampView(view: View, width: number, height: number, min = MIN_ZOOM): View {
  return {
    x: Math.min(Math.max(view.x, 0), width),
    y: Math.min(Math.max(view.y, 0), height),
    zoom: Math.min(Math.max(view.zoom, min), MAX_ZOOM),
  };
}

/** The view that fits the whole board in a viewport. */
export function fitView(width: number, height: number, viewport: Size): View {
  return { x: width / 2, y: height / 2, zoom: fitZoom(width, height, viewport) };
}

export function parseHash(hash: string, width: number, height: number, min = MIN_ZOOM): View | null {
  const m = /^#?(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/.exec(hash);
  if (!m) return null;
  return clampView({ x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) }, width, height, min);
}

export function formatHash(view: View): string {
  const r = (n: number) => Math.round(n * 100) / 100;
  return `#${r(view.x)},${r(view.y)},${r(view.zoom)}`;
}

/** The board coordinates under a viewport point. */
export function screenToBoard(view: View, viewport: Size, sx: number, sy: number): { x: number; y: number } {
  return { x: view.x + (sx - viewport.w / 2) / view.zoom, y: view.y + (sy - viewport.h / 2) / view.zoom };
}

/** The viewport point of a board point (a pixel's top-left corner for integer x, y). */
export function boardToScreen(view: View, viewport: Size, x: number, y: number): { x: number; y: number } {
  return { x: viewport.w / 2 + (x - view.x) * view.zoom, y: viewport.h / 2 + (y - view.y) * view.zoom };
}

/** Zooms by `factor` keeping the board point under (sx, sy) where it is on screen. */
export function zoomAt(view: View, factor: number, viewport: Size, sx: number, sy: number, min = MIN_ZOOM): View {
  const zoom = Math.min(Math.max(view.zoom * factor, min), MAX_ZOOM);
  const anchor = screenToBoard(view, viewport, sx, sy);
  return { x: anchor.x - (sx - viewport.w / 2) / zoom, y: anchor.y - (sy - viewport.h / 2) / zoom, zoom };
}

export function panBy(view: View, dxScreen: number, dyScreen: number): View {
  return { ...view, x: view.x - dxScreen / view.zoom, y: view.y - dyScreen / view.zoom };
}

/**
 * The smallest pan that brings pixel (x, y) at least `margin` screen px inside the viewport
 * (the view itself when it already is): moving a selection by keyboard keeps it in sight.
 */
export function keepInView(view: View, viewport: Size, x: number, y: number, margin: number): View {
  const p = boardToScreen(view, viewport, x, y);
  const m = Math.min(margin, viewport.w / 2 - view.zoom, viewport.h / 2 - view.zoom);
  let dx = 0;
  let dy = 0;
  if (p.x < m) dx = m - p.x;
  else if (p.x + view.zoom > viewport.w - m) dx = viewport.w - m - (p.x + view.zoom);
  if (p.y < m) dy = m - p.y;
  else if (p.y + view.zoom > viewport.h - m) dy = viewport.h - m - (p.y + view.zoom);
  return dx === 0 && dy === 0 ? view : panBy(view, dx, dy);
}
