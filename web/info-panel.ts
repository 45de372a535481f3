// The selected pixel's card: its coordinates, colour (by name), who placed it and how long
// ago, a "Copy link" to it, and a close that cancels the selection. Who placed it is fetched
// once the selection rests (moving it by keyboard does not fetch every pixel passed over).
import { colorAt, pixelIndex } from '../core/domain/board-codec.ts';
import { PALETTE, PALETTE_NAMES } from '../core/domain/palette.ts';
import { $ } from './dom.ts';
import { relativeTime } from './relative-time.ts';
import { reportAction } from './report.ts';
import type { Pixel } from './selection.ts';
import { formatHash, SELECT_ZOOM } from './view-state.ts';

/** GET /api/pixels/{x}/{y}. `displayName` arrives with sign-in; until then the user id is shown, shortened. */
export interface PixelInfo {
  color: number;
  userId: string;
  placedAt: number;
  displayName?: string;
}

export function placerName(info: Pixel & PixelInfo, myUserId: string | null): string {
  if (info.userId === myUserId) return 'you';
  if (info.displayName) return info.displayName;
  return info.userId.length > 10 ? `${info.userId.slice(0, 8)}…` : info.userId;
}

export interface InfoDeps {
  width: number;
  height: number;
  board(): Uint8Array | null;
  myUserId(): string | null;
  zoom(): number;
  close(): void;
  toast(text: string): void;
  /** Starts a session if there is none (reporting needs one). */
  ensureSession(): Promise<unknown>;
}

export class InfoPanel {
  private readonly el = $('info');
  private readonly coords = $('info-coords');
  private readonly colour = $('info-colour');
  private readonly placer = $('info-placer');
  private readonly report = $('info-report');
  private pixel: Pixel | null = null;
  private info: (Pixel & PixelInfo) | null = null;
  private fetchTimer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private request = 0;

  constructor(private readonly d: InfoDeps) {
    $('info-close').addEventListener('click', () => d.close());
    $('copy-link').addEventListener('click', () => { void this.copyLink(); });
  }

  /** The board grew. */
  resize(width: number, height: number): void {
    this.d.width = width;
    this.d.height = height;
  }

  show(p: Pixel | null): void {
    clearTimeout(this.fetchTimer);
    clearInterval(this.ticker);
    this.pixel = p;
    this.info = null;
    this.request++;
    this.el.hidden = p === null;
    if (!p) return;
    this.coords.textContent = `${p.x}, ${p.y}`;
    this.showColour();
    this.placer.textContent = '';
    this.report.replaceChildren(reportAction(p.x, p.y, (t) => this.d.toast(t), () => this.d.ensureSession()));
    this.fetchTimer = setTimeout(() => { void this.fetchPlacer(p, this.request); }, 250);
  }

  /** A pixel changed on the board: if it is the selected one, show its new colour and placer. */
  changed(x: number, y: number): void {
    if (this.pixel && this.pixel.x === x && this.pixel.y === y) this.show(this.pixel);
  }

  private showColour(): void {
    const board = this.d.board();
    if (!this.pixel || !board) return;
    const c = colorAt(board, pixelIndex(this.d, this.pixel.x, this.pixel.y));
    const dot = document.createElement('span');
    dot.className = 'swatch-dot';
    dot.style.background = PALETTE[c]!;
    this.colour.replaceChildren(dot, ` ${PALETTE_NAMES[c]}`);
  }

  private async fetchPlacer(p: Pixel, request: number): Promise<void> {
    let text: string;
    try {
      const res = await fetch(`/api/pixels/${p.x}/${p.y}`);
      if (request !== this.request) return;
      if (res.status === 404) text = 'never placed';
      else if (!res.ok) text = '';
      else {
        this.info = { ...p, ...((await res.json()) as PixelInfo) };
        if (request !== this.request) return;
        this.renderPlacer();
        this.ticker = setInterval(() => this.renderPlacer(), 15_000);
        return;
      }
    } catch {
      text = ''; // offline: the card shows what the board says and nothing about who placed it
    }
    if (request === this.request) this.placer.textContent = text;
  }

  private renderPlacer(): void {
    if (!this.info) return;
    const when = relativeTime(this.info.placedAt, Date.now());
    const placed = document.createElement('time');
    placed.dateTime = new Date(this.info.placedAt).toISOString();
    placed.title = new Date(this.info.placedAt).toLocaleString();
    placed.textContent = when;
    this.placer.replaceChildren(`by ${placerName(this.info, this.d.myUserId())}, `, placed);
  }

  private async copyLink(): Promise<void> {
    if (!this.pixel) return;
    const view = { x: this.pixel.x + 0.5, y: this.pixel.y + 0.5, zoom: Math.max(this.d.zoom(), SELECT_ZOOM) };
    const url = `${location.origin}${location.pathname}${formatHash(view)}`;
    try {
      await navigator.clipboard.writeText(url);
      this.d.toast('Link copied.');
    } catch {
      this.d.toast(`Copy this link: ${url}`); // no clipboard access (an insecure origin, or refused)
    }
  }
}
