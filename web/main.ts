// The board page: canvas, pan/zoom, palette, placing with an optimistic preview, cooldown,
// pixel info, live updates and connection status.
import { colorAt, pixelIndex } from '../core/domain/board-codec.ts';
import { BoardSync, type SocketLike } from './sync/board-sync.ts';
import { BoardCanvas } from './board-canvas.ts';
import { CooldownTimer, formatRemaining } from './cooldown-timer.ts';
import { attachPointerControls } from './pointer-controls.ts';
import { ensureSession, renewSession, SessionError, type Me } from './session.ts';
import { clampView, fitView, formatHash, parseHash, screenToBoard, zoomAt, type View } from './view-state.ts';
import { attachCommunity } from './community/community.ts';

interface Config { width: number; height: number; palette: string[]; cooldownMs: number }

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const viewport = $('viewport');
const statusEl = $('status');
const cooldownEl = $('cooldown');
const STATUS_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' } as const;

/** A fresh Idempotency-Key (getRandomValues works outside secure contexts too, unlike randomUUID). */
function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * POSTs one placement, retrying a dropped connection or a 503 a few times with the same
 * Idempotency-Key: a retry never places twice, and the answer is the first attempt's if it
 * went through. Null when every attempt failed to connect.
 */
async function postPixel(x: number, y: number, color: number): Promise<Response | null> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': newKey() }, body: JSON.stringify({ x, y, color }) };
  let last: Response | null = null;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(4000, 500 * 2 ** attempt) * (0.75 + Math.random() / 2)));
    try {
      last = await fetch('/api/pixels', init);
    } catch {
      continue;
    }
    if (last.status !== 503) return last;
  }
  return last;
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;
function toast(text: string, ms = 3500): void {
  const el = $('toast');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, ms);
}

async function main(): Promise<void> {
  const config = (await (await fetch('/api/config')).json()) as Config;
  let me: Me;
  try {
    me = await ensureSession();
  } catch (err) {
    toast(err instanceof SessionError ? err.message : 'Could not start a session.', 10_000);
    return;
  }
  const { width, height, palette } = config;
  const canvas = new BoardCanvas($<HTMLCanvasElement>('board'), width, height);
  // The bars cover about 120px of the viewport: fit the board in what is left.
  let view: View = parseHash(location.hash, width, height) ?? fitView(width, height, viewport.clientWidth, viewport.clientHeight - 120);
  let selected: number | null = null;
  const previews = new Map<number, number>(); // board index → colour shown before the server confirmed

  // --- view ---
  let hashTimer: ReturnType<typeof setTimeout> | undefined;
  const setView = (next: View) => {
    view = clampView(next, width, height);
    canvas.applyView(view, viewport.clientWidth, viewport.clientHeight);
    clearTimeout(hashTimer);
    hashTimer = setTimeout(() => history.replaceState(null, '', formatHash(view)), 200);
  };
  setView(view);
  window.addEventListener('resize', () => setView(view));
  window.addEventListener('hashchange', () => {
    const v = parseHash(location.hash, width, height);
    if (v) setView(v);
  });
  const zoomCentre = (f: number) => setView(zoomAt(view, f, viewport.clientWidth, viewport.clientHeight, viewport.clientWidth / 2, viewport.clientHeight / 2));
  $('zoom-in').addEventListener('click', () => zoomCentre(1.5));
  $('zoom-out').addEventListener('click', () => zoomCentre(1 / 1.5));

  // --- palette ---
  const paletteEl = $('palette');
  palette.forEach((hex, i) => {
    const b = document.createElement('button');
    b.className = 'swatch';
    b.style.background = hex;
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', 'false');
    b.setAttribute('aria-label', `Colour ${i + 1} (${hex})`);
    b.dataset.color = String(i);
    b.addEventListener('click', () => select(selected === i ? null : i));
    paletteEl.append(b);
  });
  const select = (color: number | null) => {
    selected = color;
    for (const el of paletteEl.children) el.setAttribute('aria-checked', String(Number((el as HTMLElement).dataset.color) === color));
    viewport.style.cursor = color === null ? 'zoom-in' : 'crosshair';
  };
  window.addEventListener('keydown', (e) => { if (e.key === 'Escape') select(null); });
  select(null);

  // --- cooldown and notifications ---
  const notify = $<HTMLInputElement>('notify');
  notify.checked = localStorage.getItem('place:notify') === '1' && 'Notification' in window && Notification.permission === 'granted';
  const onNotifyChange = async () => {
    if (notify.checked && 'Notification' in window && Notification.permission !== 'granted') {
      notify.checked = (await Notification.requestPermission()) === 'granted';
    }
    localStorage.setItem('place:notify', notify.checked ? '1' : '0');
  };
  notify.addEventListener('change', () => { void onNotifyChange(); });
  const timer = new CooldownTimer((left) => {
    cooldownEl.textContent = left > 0 ? formatRemaining(left) : 'Ready';
    cooldownEl.classList.toggle('waiting', left > 0);
  }, () => {
    if (!notify.checked) return;
    if ('Notification' in window && Notification.permission === 'granted') new Notification('Your next pixel is ready');
    beep();
  });
  if (me.nextAllowedAt > Date.now()) timer.startUntil(me.nextAllowedAt);
  if (me.lastPlacedAt === null) toast('Pick a colour below, then tap the board to place your pixel. With no colour picked, a tap shows who placed a pixel.', 7000);

  // --- live board ---
  const sync = new BoardSync({
    apiUrl: '',
    socketUrls: [`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`],
    openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  });
  sync.on('board', () => {
    canvas.drawBoard(sync.board!);
    for (const [i, c] of previews) canvas.setPixel(i % width, Math.floor(i / width), c);
  });
  sync.on('pixel', (_seq, x, y, color) => {
    previews.delete(y * width + x);
    canvas.setPixel(x, y, color);
  });
  const showStatus = () => {
    // The browser knowing it has no network at all beats waiting for the socket to notice.
    const s = navigator.onLine ? sync.status : 'offline';
    statusEl.dataset.status = s;
    statusEl.textContent = STATUS_TEXT[s];
  };
  sync.on('status', showStatus);
  window.addEventListener('online', showStatus);
  window.addEventListener('offline', showStatus);
  sync.on('online', (n) => { $('online').textContent = `${n} online`; });
  sync.start();

  // --- templates, history, heatmap, my pixels (issue 12: web/community/) ---
  const community = attachCommunity({ width, height, palette, userId: me.userId, sync, board: canvas.canvas, toast });

  // --- placing and inspecting ---
  const revert = (x: number, y: number) => {
    const i = y * width + x;
    previews.delete(i);
    if (sync.board) canvas.setPixel(x, y, colorAt(sync.board, pixelIndex({ width, height }, x, y)));
  };

  async function place(x: number, y: number, color: number): Promise<void> {
    if (sync.status !== 'live' || !navigator.onLine) return toast('You are offline: the pixel was not placed. Reconnecting…');
    if (timer.running) {
      cooldownEl.classList.remove('flash');
      void cooldownEl.offsetWidth;
      cooldownEl.classList.add('flash');
      return toast(`Not yet: you can place again in ${formatRemaining(timer.remaining())}.`);
    }
    previews.set(y * width + x, color);
    canvas.setPixel(x, y, color);
    const res = await postPixel(x, y, color);
    if (!res) {
      revert(x, y);
      return toast('The connection failed: the pixel was not placed.');
    }
    const body = (await res.json().catch(() => ({}))) as { nextAllowedAt?: number; retryAfterMs?: number; message?: string; reason?: string };
    if (res.status === 201) {
      community.placed(x, y, color);
      return timer.startUntil(body.nextAllowedAt ?? Date.now());
    }
    revert(x, y);
    if (res.status === 429 && body.reason === 'ip') {
      // The address's cap, not this person's cooldown: nothing of theirs was spent.
      toast(body.message ?? 'Too many pixels were placed from your network. Try again in a little while.');
    } else if (res.status === 429) {
      timer.startUntil(Date.now() + (body.retryAfterMs ?? config.cooldownMs));
      toast(`Not yet: you can place again in ${formatRemaining(timer.remaining())}.`);
    } else if (res.status === 401) {
      try {
        await renewSession();
        toast('Your session had expired; it was renewed. Place the pixel again.');
      } catch (err) {
        toast(err instanceof SessionError ? err.message : 'Your session had expired and could not be renewed. Reload the page.');
      }
    } else if (res.status === 503) toast(body.message ?? 'The board is busy right now. Try again in a moment.');
    else toast(body.message ?? `The pixel was not placed (${res.status}).`);
  }

  async function inspect(x: number, y: number): Promise<void> {
    const info = $('info');
    const text = $('info-text');
    info.hidden = false;
    text.textContent = `(${x}, ${y}) …`;
    const res = await fetch(`/api/pixels/${x}/${y}`);
    if (res.status === 404) {
      text.textContent = `(${x}, ${y}) has never been placed.`;
      return;
    }
    const p = (await res.json()) as { color: number; userId: string; placedAt: number };
    text.innerHTML = '';
    const dot = document.createElement('span');
    dot.className = 'swatch-dot';
    dot.style.background = palette[p.color] ?? '#000';
    text.append(`(${x}, ${y}) `, dot, ` placed by ${p.userId} ${p.userId === me.userId ? '(you) ' : ''}at ${new Date(p.placedAt).toLocaleString()}`);
  }
  $('info-close').addEventListener('click', () => { $('info').hidden = true; });

  const cursor = $('cursor');
  attachPointerControls(viewport, {
    getView: () => view,
    setView,
    onTap: (sx, sy) => {
      const b = screenToBoard(view, viewport.clientWidth, viewport.clientHeight, sx, sy);
      const x = Math.floor(b.x);
      const y = Math.floor(b.y);
      if (x < 0 || y < 0 || x >= width || y >= height) return;
      if (selected === null) void inspect(x, y);
      else void place(x, y, selected);
    },
    onHover: (sx, sy) => {
      const b = screenToBoard(view, viewport.clientWidth, viewport.clientHeight, sx, sy);
      const x = Math.floor(b.x);
      const y = Math.floor(b.y);
      const inside = x >= 0 && y >= 0 && x < width && y < height;
      $('coords').textContent = inside ? `${x}, ${y}` : '';
      cursor.hidden = !inside || view.zoom < 4;
      if (inside) {
        const left = viewport.clientWidth / 2 + (x - view.x) * view.zoom;
        const top = viewport.clientHeight / 2 + (y - view.y) * view.zoom;
        Object.assign(cursor.style, { left: `${left}px`, top: `${top}px`, width: `${view.zoom}px`, height: `${view.zoom}px` });
      }
    },
  });
}

function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
  } catch {
    // no audio: the notification alone will do
  }
}

void main();
