// Mouse, touch and keyboard on the board viewport: drag or arrow keys to pan, wheel (at the
// cursor), buttons or pinch to zoom, and a tap/click that counts only if the pointer barely
// moved, so panning never places a pixel by accident.
import { panBy, zoomAt, type View } from './view-state.ts';

/** A press that moved further than this (screen px) was a pan, not a click. */
export const TAP_SLOP_PX = 6;
const TAP_MAX_MS = 700;

export interface ControlsTarget {
  getView(): View;
  setView(view: View): void;
  onTap(sx: number, sy: number): void;
  onHover(sx: number, sy: number): void;
}

export function attachPointerControls(viewport: HTMLElement, target: ControlsTarget): void {
  const pointers = new Map<number, { x: number; y: number }>();
  let press: { x: number; y: number; at: number; moved: boolean } | null = null;
  let pinchDistance = 0;
  const local = (e: { clientX: number; clientY: number }) => {
    const r = viewport.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const size = () => ({ w: viewport.clientWidth, h: viewport.clientHeight });

  viewport.addEventListener('pointerdown', (e) => {
    if (e.isPrimary) pointers.clear(); // a new first contact: any pointer we still hold was lost
    viewport.setPointerCapture(e.pointerId);
    const p = local(e);
    pointers.set(e.pointerId, p);
    if (pointers.size === 1) press = { ...p, at: performance.now(), moved: false };
    else {
      press = null; // a second finger makes it a pinch, never a tap
      const [a, b] = [...pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
      pinchDistance = Math.hypot(a.x - b.x, a.y - b.y);
    }
  });

  viewport.addEventListener('pointermove', (e) => {
    const p = local(e);
    const prev = pointers.get(e.pointerId);
    if (!prev) return target.onHover(p.x, p.y);
    pointers.set(e.pointerId, p);
    const { w, h } = size();
    if (pointers.size === 1) {
      if (press && Math.hypot(p.x - press.x, p.y - press.y) > TAP_SLOP_PX) press.moved = true;
      if (!press || press.moved) target.setView(panBy(target.getView(), p.x - prev.x, p.y - prev.y));
      target.onHover(p.x, p.y);
    } else if (pointers.size === 2) {
      const [a, b] = [...pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      const cx = (a.x + b.x) / 2;
      const cy = (a.y + b.y) / 2;
      let view = panBy(target.getView(), (p.x - prev.x) / 2, (p.y - prev.y) / 2);
      if (pinchDistance > 0) view = zoomAt(view, distance / pinchDistance, w, h, cx, cy);
      pinchDistance = distance;
      target.setView(view);
    }
  });

  const release = (e: PointerEvent) => {
    const p = local(e);
    const wasTap = pointers.size === 1 && press && !press.moved && performance.now() - press.at < TAP_MAX_MS;
    pointers.delete(e.pointerId);
    if (pointers.size < 2) pinchDistance = 0;
    if (wasTap && e.type === 'pointerup') target.onTap(p.x, p.y);
    if (pointers.size === 0) press = null;
  };
  viewport.addEventListener('pointerup', release);
  viewport.addEventListener('pointercancel', release);

  viewport.addEventListener('wheel', (e) => {
    e.preventDefault();
    const p = local(e);
    const { w, h } = size();
    target.setView(zoomAt(target.getView(), Math.exp(-e.deltaY * 0.0015), w, h, p.x, p.y));
  }, { passive: false });

  window.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLButtonElement && e.key === 'Enter') return;
    const step = 60;
    const { w, h } = size();
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      target.setView(panBy(target.getView(), move[0], move[1]));
    } else if (e.key === '+' || e.key === '=') target.setView(zoomAt(target.getView(), 1.5, w, h, w / 2, h / 2));
    else if (e.key === '-') target.setView(zoomAt(target.getView(), 1 / 1.5, w, h, w / 2, h / 2));
  });
}
