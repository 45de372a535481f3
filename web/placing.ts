// Placing one pixel over HTTP: a preview on the canvas at once, reverted if the server says
// no; the cooldown from the server's answer; a session started on the first placement.
import { colorAt, pixelIndex } from '../core/domain/board-codec.ts';
import { PALETTE_NAMES } from '../core/domain/palette.ts';
import type { BoardSync } from './sync/board-sync.ts';
import type { BoardCanvas } from './board-canvas.ts';
import { formatRemaining, type CooldownTimer } from './cooldown-timer.ts';
import { SessionError, type Session } from './session.ts';
import type { StatusView } from './status.ts';
import { askedChallenge, solve } from './challenge.ts';
import { INELIGIBLE_MESSAGES, SIGNIN_REQUIRED_MESSAGE, type IneligibleReason } from '../core/domain/ineligible.ts';

/** Why this user cannot place, in words; null when they can. */
export function ineligibleMessage(reason: string | null): string | null {
  if (reason === null) return null;
  return reason === 'signin_required' ? SIGNIN_REQUIRED_MESSAGE : (INELIGIBLE_MESSAGES[reason as IneligibleReason] ?? 'You cannot place pixels on this board.');
}

const RETRIED_STATUSES = new Set([502, 503, 504]);

/** A fresh Idempotency-Key (getRandomValues works outside secure contexts too, unlike randomUUID). */
function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * POSTs one placement, retrying a dropped connection, a 503, or a load balancer's 502 or 504 (the
 * server behind it stopped or stalled mid-request) a few times with the same Idempotency-Key: a
 * retry never places twice, and the answer is the first attempt's if it went through. Null when
 * every attempt failed to connect.
 */
export async function postPixel(x: number, y: number, color: number, challenge?: string): Promise<Response | null> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': newKey() }, body: JSON.stringify({ x, y, color, challenge }) };
  let last: Response | null = null;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(4000, 500 * 2 ** attempt) * (0.75 + Math.random() / 2)));
    try {
      last = await fetch('/api/pixels', init);
    } catch {
      continue;
    }
    if (!RETRIED_STATUSES.has(last.status)) return last;
  }
  return last;
}

export interface PlacerDeps {
  sync: BoardSync;
  canvas: BoardCanvas;
  session: Session;
  timer: CooldownTimer;
  status: StatusView;
  width: number;
  height: number;
  /** Shakes the cooldown display: "not yet". */
  flashCooldown(): void;
  /** A pixel of this user's was accepted (the page's "my pixels"). */
  onPlaced?(x: number, y: number, color: number): void;
}

export class Placer {
  /** Board index → colour shown before the server confirmed it. */
  readonly previews = new Map<number, number>();

  constructor(private readonly d: PlacerDeps) {}

  /** The board grew: previews are keyed by board index, which moves with the width. */
  resize(width: number, height: number): void {
    const kept = [...this.previews].map(([i, c]) => [i % this.d.width, Math.floor(i / this.d.width), c] as const);
    this.d.width = width;
    this.d.height = height;
    this.previews.clear();
    for (const [x, y, c] of kept) this.previews.set(y * width + x, c);
  }

  /** Shows the previews again after the canvas was redrawn from the board. */
  reapplyPreviews(): void {
    for (const [i, c] of this.previews) this.d.canvas.setPixel(i % this.d.width, Math.floor(i / this.d.width), c);
  }

  /** A confirmed pixel replaces any preview of it. */
  confirmed(x: number, y: number): void {
    this.previews.delete(y * this.d.width + x);
  }

  private revert(x: number, y: number): void {
    const { sync, canvas, width, height } = this.d;
    this.previews.delete(y * width + x);
    if (sync.board) canvas.setPixel(x, y, colorAt(sync.board, pixelIndex({ width, height }, x, y)));
  }

  async place(x: number, y: number, color: number): Promise<void> {
    const { sync, canvas, session, timer, status } = this.d;
    if (!navigator.onLine || sync.status === 'offline' || sync.status === 'reconnecting') return status.toast('You are offline: the pixel was not placed. Reconnecting…');
    if (sync.status !== 'live') return status.toast('Still connecting: the pixel was not placed. Try again in a moment.');
    if (timer.running) {
      this.d.flashCooldown();
      return status.toast(`Not yet: you can place again in ${formatRemaining(timer.remaining())}.`);
    }
    try {
      const me = await session.ensure();
      const why = me.eligible === false ? ineligibleMessage(me.ineligibleReason) : null;
      if (why) return status.toast(why, 10_000);
      if (me.nextAllowedAt > Date.now() && !timer.running) timer.startUntil(me.nextAllowedAt);
    } catch (err) {
      return status.toast(err instanceof SessionError ? err.message : 'Could not start a session: the pixel was not placed.', 10_000);
    }
    this.previews.set(y * this.d.width + x, color);
    canvas.setPixel(x, y, color);
    let res = await postPixel(x, y, color);
    // Every few placements (or each one while the board is under attack) a challenge proves a person is placing.
    for (let attempt = 0; attempt < 2 && res?.status === 403; attempt++) {
      const challenge = askedChallenge(res.status, (await res.clone().json().catch(() => ({}))) as Parameters<typeof askedChallenge>[1]);
      if (!challenge) break;
      status.announce('Checking you are not a bot…');
      res = await postPixel(x, y, color, await solve(challenge));
    }
    if (!res) {
      this.revert(x, y);
      return status.toast('The connection failed: the pixel was not placed.');
    }
    const body = (await res.json().catch(() => ({}))) as { nextAllowedAt?: number; retryAfterMs?: number; message?: string; reason?: string };
    if (res.status === 201) {
      this.d.onPlaced?.(x, y, color);
      timer.startUntil(body.nextAllowedAt ?? Date.now());
      const wait = timer.running ? ` Next pixel in ${formatRemaining(timer.remaining())}.` : '';
      return status.announce(`Placed ${PALETTE_NAMES[color]} at ${x}, ${y}.${wait}`);
    }
    this.revert(x, y);
    if (res.status === 429 && body.reason === 'ip') {
      // The address's cap, not this person's cooldown: nothing of theirs was spent.
      status.toast(body.message ?? 'Too many pixels were placed from your network. Try again in a little while.');
    } else if (res.status === 429) {
      timer.startUntil(Date.now() + (body.retryAfterMs ?? sync.cooldownMs));
      status.toast(`Not yet: you can place again in ${formatRemaining(timer.remaining())}.`);
    } else if (res.status === 401) {
      try {
        await session.renew();
        status.toast('Your session had expired; it was renewed. Place the pixel again.');
      } catch (err) {
        status.toast(err instanceof SessionError ? err.message : 'Your session had expired and could not be renewed. Reload the page.');
      }
    } else if (res.status === 403) status.toast(body.message ?? 'You cannot place pixels on this board.', 10_000);
    else if (res.status === 503) status.toast(body.message ?? 'The board is busy right now. Try again in a moment.');
    else status.toast(body.message ?? `The pixel was not placed (${res.status}).`);
  }
}
