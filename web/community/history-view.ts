// The history slider (the board at a past moment, from board.png?at=, over the live board until
// "Live" is pressed), the heatmap toggle (heatmap.png of the last hour) and "my pixels" (where
// this user placed, remembered by this browser, outlined over the board).
import type { BoardLayers } from './layers.ts';

export interface HistoryDeps {
  layers: BoardLayers;
  panel: HTMLElement;
  width: number;
  height: number;
  /** Null until this browser has a session (viewing needs none). */
  userId(): string | null;
}

export interface HistoryView {
  placed(x: number, y: number): void;
  /** The board grew during the event. */
  resize(width: number, height: number): void;
}

const HOUR = 3_600_000;
const MINE_KEPT = 2000;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** Where this user placed, newest last (localStorage, per user id). */
export class MyPixels {
  constructor(private readonly userId: () => string | null) {}

  private get key(): string | null {
    const id = this.userId();
    return id ? `place:mine:${id}` : null;
  }

  list(): [number, number][] {
    const key = this.key;
    if (!key) return [];
    try {
      return (JSON.parse(localStorage.getItem(key) ?? '[]') as [number, number][]).filter((p) => Array.isArray(p) && p.length === 2);
    } catch {
      return [];
    }
  }

  add(x: number, y: number): void {
    const key = this.key;
    if (!key) return;
    const all = this.list().filter(([px, py]) => px !== x || py !== y);
    all.push([x, y]);
    localStorage.setItem(key, JSON.stringify(all.slice(-MINE_KEPT)));
  }
}

/** An image layer at the board's origin, one CSS px per pixel of the image (a past board may be smaller than today's). */
function imageLayer(d: HistoryDeps, id: string, order: number): HTMLImageElement {
  const img = d.layers.add(el('img', { id, alt: '', hidden: true }), 0, 0, d.width, d.height, order);
  img.addEventListener('load', () => Object.assign(img.style, { width: `${img.naturalWidth}px`, height: `${img.naturalHeight}px` }));
  return img;
}

export function attachHistory(d: HistoryDeps): HistoryView {
  const past = imageLayer(d, 'history-layer', 1);
  const heat = imageLayer(d, 'heatmap-layer', 3);
  const SCALE = 4;
  const mineCanvas = d.layers.add(el('canvas', { id: 'mine-layer', width: d.width * SCALE, height: d.height * SCALE, hidden: true }), 0, 0, d.width, d.height, 4);
  const mine = new MyPixels(d.userId);

  // --- history slider ---
  const slider = el('input', { type: 'range', id: 'history-slider', ariaLabel: 'Moment shown', step: '1000' });
  const when = el('span', { id: 'history-when', className: 'muted', textContent: 'Live' });
  const live = el('button', { id: 'history-live', textContent: 'Back to live', disabled: true });
  let start = Date.now() - HOUR;
  // Whole seconds (the step): a value is never moved off what was chosen by snapping.
  const setRange = () => {
    slider.min = String(Math.floor(start / 1000) * 1000);
    slider.max = String(Math.floor(Date.now() / 1000) * 1000);
    if (past.hidden) slider.value = slider.max;
  };
  void fetch('/api/history?limit=1').then(async (r) => {
    const first = r.ok ? ((await r.json()) as { at: number }[])[0] : undefined;
    if (first) start = Math.min(start, first.at);
    setRange();
  }).catch(() => setRange());
  setRange();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = () => {
    // Whole seconds: nearby positions share one URL, which a CDN keeps.
    const at = Math.floor(Number(slider.value) / 1000) * 1000;
    past.src = `/api/board.png?at=${at}`;
    past.hidden = false;
    live.disabled = false;
    when.textContent = new Date(at).toLocaleString();
    document.body.classList.add('viewing-history');
  };
  slider.addEventListener('pointerdown', setRange);
  slider.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(show, 250);
  });
  live.addEventListener('click', () => {
    past.hidden = true;
    past.removeAttribute('src');
    live.disabled = true;
    when.textContent = 'Live';
    document.body.classList.remove('viewing-history');
    setRange();
  });

  // --- heatmap ---
  const heatToggle = el('input', { type: 'checkbox', id: 'heatmap-toggle' });
  let heatTimer: ReturnType<typeof setInterval> | undefined;
  const loadHeat = () => { heat.src = `/api/heatmap.png?since=${Math.floor((Date.now() - HOUR) / 60_000) * 60_000}`; };
  heatToggle.addEventListener('change', () => {
    heat.hidden = !heatToggle.checked;
    clearInterval(heatTimer);
    if (heatToggle.checked) {
      loadHeat();
      heatTimer = setInterval(loadHeat, 60_000);
    }
  });

  // --- my pixels ---
  const mineToggle = el('input', { type: 'checkbox', id: 'mine-toggle' });
  const drawMine = () => {
    const ctx = mineCanvas.getContext('2d')!;
    ctx.clearRect(0, 0, mineCanvas.width, mineCanvas.height);
    ctx.lineWidth = 1;
    for (const [x, y] of mine.list()) {
      ctx.strokeStyle = '#000';
      ctx.strokeRect(x * SCALE + 0.5, y * SCALE + 0.5, SCALE - 1, SCALE - 1);
      ctx.strokeStyle = '#fff';
      ctx.strokeRect(x * SCALE - 0.5, y * SCALE - 0.5, SCALE + 1, SCALE + 1);
    }
  };
  mineToggle.addEventListener('change', () => {
    mineCanvas.hidden = !mineToggle.checked;
    if (mineToggle.checked) drawMine();
  });

  d.panel.append(el('section', { className: 'history' },
    el('div', { className: 'row' }, el('strong', { textContent: 'History' }), when, live),
    slider,
    el('label', { className: 'row' }, heatToggle, ' Heatmap (last hour)'),
    el('label', { className: 'row' }, mineToggle, ' My pixels')));

  return {
    placed: (x, y) => {
      mine.add(x, y);
      if (mineToggle.checked) drawMine();
    },
    resize: (width, height) => {
      Object.assign(mineCanvas, { width: width * SCALE, height: height * SCALE });
      Object.assign(mineCanvas.style, { width: `${width}px`, height: `${height}px` });
      if (mineToggle.checked) drawMine();
      if (!heat.hidden) loadHeat();
    },
  };
}
