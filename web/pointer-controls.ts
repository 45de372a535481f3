// Mouse, touch and pen on the board viewport: drag to pan, wheel (at the cursor), buttons or
// pinch to zoom, and a tap/click that counts only if the pointer barely moved, so panning never
// selects a pixel by accident. Only the primary button taps: right and middle clicks do nothing
// but pan.
import { panBy, type View } from './view-state.ts';

/** A press that moved further than this (screen px) was a pan, not a click. */
export const TAP_SLOP_PX = 6;
const TAP_MAX_MS = 700;

export interface ControlsTarget {
  getView(): View;
  setView(view: View): void;
  zoomAt(factor: number, sx: number, sy: number): void;
  onTap(sx: number, sy: number): void;
  onHover(sx: number, sy: number): void;
  onLeave(): void;
}

export function attachPointerControls(viewport: HTMLElement, target: ControlsTarget): void {
  const pointers = new Map<number, { x: number; y: number }>();
  let press: { x: number; y: number; at: number; moved: boolean } | null = null;
  let pinchDistance = 0;
  const local = (e: { clientX: number; clientY: number }) => {
    const r = viewport.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  viewport.addEventListener('pointerdown', (e) => {
    if (e.isPrimary) pointers.clear(); // a new first contact: any pointer we still hold was lost
    viewport.setPointerCapture(e.pointerId);
    const p = local(e);
    pointers.set(e.pointerId, p);
    // button 0: the primary mouse button, or a finger or pen touching
    if (pointers.size === 1) press = e.button === 0 ? { ...p, at: performance.now(), moved: false } : null;
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
    if (pointers.size === 1) {
      if (press && Math.hypot(p.x - press.x, p.y - press.y) > TAP_SLOP_PX) press.moved = true;
      if (!press || press.moved) target.setView(panBy(target.getView(), p.x - prev.x, p.y - prev.y));
      target.onHover(p.x, p.y);
    } else if (pointers.size === 2) {
      const [a, b] = [...pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      target.setView(panBy(target.getView(), (p.x - prev.x) / 2, (p.y - prev.y) / 2));
      if (pinchDistance > 0) target.zoomAt(distance / pinchDistance, (a.x + b.x) / 2, (a.y + b.y) / 2);
      pinchDistance = distance;
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
  viewport.addEventListener('pointerleave', () => { if (pointers.size === 0) target.onLeave(); });
  // A middle press would start the browser's autoscroll: here it only pans.
  viewport.addEventListener('mousedown', (e) => { if (e.button === 1) e.preventDefault(); });

  viewport.addEventListener('wheel', (e) => {
    e.preventDefault();
    const p = local(e);
    target.zoomAt(Math.exp(-e.deltaY * 0.0015), p.x, p.y);
  }, { passive: false });
}
