// The colour picker: a radiogroup (one tab stop; arrow keys, Home and End move and choose;
// Space or a click chooses), each colour named for people and screen readers, and its number
// key shown (1–9 and 0 for the first ten, Shift+1–6 for the rest).
import { PALETTE, PALETTE_NAMES } from '../core/domain/palette.ts';

/** The key that picks colour `i` (keyboard.ts reads the same mapping). */
export function keyForColour(i: number): string {
  if (i < 9) return String(i + 1);
  if (i === 9) return '0';
  return `Shift+${i - 9}`;
}

export class PaletteView {
  colour: number | null = null;
  private readonly swatches: HTMLButtonElement[];

  constructor(private readonly el: HTMLElement, private readonly changed: (colour: number) => void) {
    this.swatches = PALETTE.map((hex, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'swatch';
      b.style.background = hex;
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', 'false');
      b.setAttribute('aria-label', PALETTE_NAMES[i]!);
      b.setAttribute('aria-keyshortcuts', keyForColour(i));
      b.title = `${PALETTE_NAMES[i]} (${keyForColour(i)})`;
      b.tabIndex = i === 0 ? 0 : -1;
      b.dataset.color = String(i);
      b.addEventListener('click', () => this.select(i));
      el.append(b);
      return b;
    });
    el.addEventListener('keydown', (e) => this.key(e));
  }

  select(colour: number, focus = false): void {
    this.colour = colour;
    this.swatches.forEach((b, i) => {
      b.setAttribute('aria-checked', String(i === colour));
      b.tabIndex = i === colour ? 0 : -1;
    });
    if (focus) this.swatches[colour]!.focus();
    this.changed(colour);
  }

  focus(): void {
    this.swatches[this.colour ?? 0]!.focus();
  }

  private key(e: KeyboardEvent): void {
    const at = this.swatches.indexOf(e.target as HTMLButtonElement);
    if (at < 0) return;
    const n = this.swatches.length;
    const to = ({ ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: n - 1 } as Record<string, number>)[e.key];
    if (to === undefined) return;
    e.preventDefault();
    e.stopPropagation(); // arrows here choose a colour; they do not move the board
    this.select((to + n) % n, true);
  }
}
