// A template opened by link (?template=<id> or #template=<id>): its overlay over the board
// (at an adjustable opacity, or as a small dot per pixel), its progress bar (the server's
// counts), the list of its wrong pixels to jump to (this page's own board against the
// template), and optional alerts when its pixels are griefed (a socket `watch`).
import type { BoardSync } from '../sync/board-sync.ts';
import type { BoardLayers } from './layers.ts';
import { drawDots, loadTarget, wrongPixels, type TemplateInfo } from './template-image.ts';

export interface TemplateDeps {
  id: string;
  layers: BoardLayers;
  sync: BoardSync;
  panel: HTMLElement;
  palette: readonly string[];
  toast(text: string, ms?: number): void;
  /** Centre the view on a board pixel. */
  jumpTo(x: number, y: number): void;
  pollMs?: number;
}

const WRONG_LISTED = 50;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

export async function openTemplate(d: TemplateDeps): Promise<void> {
  const res = await fetch(`/api/templates/${encodeURIComponent(d.id)}`);
  if (!res.ok) {
    d.toast(res.status === 404 ? 'That template does not exist.' : `The template could not be loaded (${res.status}).`, 6000);
    return;
  }
  let info = (await res.json()) as TemplateInfo;
  const image = el('img', { src: `/api/templates/${encodeURIComponent(d.id)}.png`, id: 'tpl-overlay', alt: '' });
  const target = await loadTarget(image, info.width, info.height);
  const dots = el('canvas', { id: 'tpl-dots', hidden: true });
  drawDots(dots, info, target);
  d.layers.add(image, info.x, info.y, info.width, info.height, 2);
  d.layers.add(dots, info.x, info.y, info.width, info.height, 2);

  const opacity = el('input', { type: 'range', min: '0', max: '100', value: '60', id: 'tpl-opacity', ariaLabel: 'Template opacity' });
  const style = el('select', { id: 'tpl-style', ariaLabel: 'Template style' }, el('option', { value: 'overlay', textContent: 'Overlay' }), el('option', { value: 'dots', textContent: 'Dots' }));
  const bar = el('progress', { id: 'tpl-progress', max: info.pixels, value: info.correct });
  const counts = el('span', { id: 'tpl-counts', className: 'muted' });
  const griefed = el('span', { id: 'tpl-griefed', className: 'muted' });
  const alert = el('input', { type: 'checkbox', id: 'tpl-alert' });
  const wrongList = el('ol', { id: 'tpl-wrong', className: 'tpl-wrong' });
  const wrongTitle = el('div', { className: 'muted' });
  d.panel.append(el('section', { className: 'tpl' },
    el('strong', { textContent: info.name }),
    el('div', { className: 'row' }, bar, counts),
    griefed,
    el('label', { className: 'row' }, 'Opacity ', opacity),
    el('label', { className: 'row' }, 'Style ', style),
    el('label', { className: 'row' }, alert, ' Alert me when it is griefed'),
    wrongTitle, wrongList));

  const showStyle = () => {
    const dotted = style.value === 'dots';
    image.hidden = dotted;
    dots.hidden = !dotted;
    image.style.opacity = dots.style.opacity = String(Number(opacity.value) / 100);
  };
  opacity.addEventListener('input', showStyle);
  style.addEventListener('change', showStyle);
  showStyle();

  const showCounts = () => {
    bar.max = info.pixels;
    bar.value = info.correct;
    counts.textContent = `${info.correct} / ${info.pixels} (${Math.floor((100 * info.correct) / info.pixels)} %)`;
    const n = info.griefedLastHour;
    griefed.textContent = n > 0 ? `${n} pixel${n === 1 ? '' : 's'} griefed in the last hour` : '';
  };
  showCounts();
  const poll = async () => {
    const r = await fetch(`/api/templates/${encodeURIComponent(d.id)}`).catch(() => null);
    if (r?.ok) info = (await r.json()) as TemplateInfo;
    showCounts();
  };
  setInterval(() => { void poll(); }, d.pollMs ?? 3000);

  // The wrong-pixel list from this page's own board copy, redrawn at most once a second.
  let listTimer: ReturnType<typeof setTimeout> | null = null;
  const showWrong = () => {
    listTimer = null;
    const board = d.sync.board;
    if (!board) return;
    const wrong = wrongPixels(info, target, board, d.sync.width, WRONG_LISTED);
    wrongTitle.textContent = wrong.length ? `Wrong pixels${wrong.length === WRONG_LISTED ? ` (first ${WRONG_LISTED})` : ''}:` : 'No wrong pixels.';
    wrongList.replaceChildren(...wrong.map((p) => {
      const b = el('button', { className: 'tpl-jump', textContent: `${p.x}, ${p.y}` });
      b.dataset.x = String(p.x);
      b.dataset.y = String(p.y);
      const swatch = el('span', { className: 'swatch-dot' });
      swatch.style.background = d.palette[p.want] ?? '#000';
      b.prepend(swatch);
      b.addEventListener('click', () => d.jumpTo(p.x, p.y));
      return el('li', {}, b);
    }));
  };
  const soon = () => { listTimer ??= setTimeout(showWrong, 1000); };
  d.sync.on('board', showWrong);
  d.sync.on('pixel', (_seq, x, y) => {
    if (x >= info.x && y >= info.y && x < info.x + info.width && y < info.y + info.height) soon();
  });
  showWrong();

  alert.addEventListener('change', () => d.sync.watchTemplate(alert.checked ? d.id : null));
  d.sync.on('griefed', (m) => {
    if (m.template !== d.id) return;
    const where = m.pixels.slice(0, 3).map(([x, y]) => `(${x}, ${y})`).join(', ');
    d.toast(`Your template "${info.name}" is being griefed: ${m.count} pixel${m.count === 1 ? '' : 's'} turned wrong, at ${where}.`, 8000);
    soon();
  });
}
