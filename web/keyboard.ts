// Keys. Anywhere: number keys pick a colour, + and − zoom, Escape cancels the selection. On the
// focused board: arrow keys move the selected pixel (Shift: ten at a time), Enter or Space
// places it. With nothing focused, arrow keys pan. The palette handles its own arrows.
import { isTyping } from './dom.ts';
import type { Selection } from './selection.ts';
import type { ViewportController } from './viewport.ts';
import { panBy } from './view-state.ts';
import { COLOR_COUNT } from '../core/domain/palette.ts';

export interface KeyLike {
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** The colour a key picks (see keyForColour in palette.ts), by physical key so Shift+1 works on every layout. */
export function colourForKey(e: KeyLike): number | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const m = /^(?:Digit|Numpad)(\d)$/.exec(e.code);
  if (!m) return null;
  const d = Number(m[1]);
  const colour = e.shiftKey ? (d >= 1 ? 9 + d : null) : (d === 0 ? 9 : d - 1);
  return colour !== null && colour < COLOR_COUNT ? colour : null;
}

const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

export interface KeyboardDeps {
  board: HTMLElement;
  vp: ViewportController;
  selection: Selection;
  place(): void;
  pickColour(colour: number): void;
}

export function attachKeyboard(d: KeyboardDeps): void {
  window.addEventListener('keydown', (e) => {
    if (isTyping(e.target) || e.defaultPrevented) return;
    const colour = colourForKey(e);
    if (colour !== null) {
      e.preventDefault();
      d.pickColour(colour);
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const onBoard = e.target === d.board;
    const arrow = ARROWS[e.key];
    if (e.key === 'Escape') d.selection.cancel();
    else if (e.key === '+' || e.key === '=') d.vp.zoomCentre(1.5);
    else if (e.key === '-' || e.key === '_') d.vp.zoomCentre(1 / 1.5);
    else if (arrow && onBoard) {
      e.preventDefault();
      const step = e.shiftKey ? 10 : 1;
      d.selection.move(arrow[0] * step, arrow[1] * step);
    } else if (arrow && (e.target === document.body || e.target === document.documentElement)) {
      e.preventDefault();
      d.vp.set(panBy(d.vp.view, -arrow[0] * 60, -arrow[1] * 60));
    } else if ((e.key === 'Enter' || e.key === ' ') && onBoard) {
      e.preventDefault();
      d.place();
    }
  });
}
