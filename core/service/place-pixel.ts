// The write use case: apply the pixel live (atomically, with cooldown), make it durable, and
// only then acknowledge. Shared by the HTTP handler and (through it) the socket servers.
import type { BoardSize } from '../domain/board-codec.ts';
import { nextAllowedAt, type CooldownRules } from '../domain/cooldown.ts';
import type { PixelWrite } from '../domain/pixel-write.ts';
import { StoreUnavailableError, type BoardStore, type Placement } from '../board-store/board-store.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import { persistPending } from './persist-pending.ts';
import { ensureBoard } from './rebuild.ts';

/** A placement still pending after this long was orphaned by a failed writer. */
const ORPHAN_AFTER_MS = 5_000;

export interface PlaceContext {
  store: BoardStore;
  log: PixelLog;
  size: BoardSize;
  rules: CooldownRules;
}

export type PlaceResult =
  | { status: 'placed'; placement: Placement; nextAllowedAt: number }
  | { status: 'rate_limited'; retryAfterMs: number; reason: 'cooldown' | 'ip' };

/** Throws StoreUnavailableError when a store fails; the write is then repaired by a later drain. */
export async function placePixel(
  ctx: PlaceContext, write: PixelWrite, who: { userId: string; ip: string }, now = Date.now(),
): Promise<PlaceResult> {
  const request = { ...write, userId: who.userId, ip: who.ip, now };
  let outcome = await ctx.store.place(request);
  if (outcome.status === 'no_board') {
    await ensureBoard(ctx);
    outcome = await ctx.store.place(request);
    if (outcome.status === 'no_board') throw new StoreUnavailableError('the board is being rebuilt');
  }
  if (outcome.status === 'cooldown') return { status: 'rate_limited', retryAfterMs: outcome.retryAfterMs, reason: 'cooldown' };
  if (outcome.status === 'ip_limited') return { status: 'rate_limited', retryAfterMs: outcome.retryAfterMs, reason: 'ip' };

  const { placement, oldestPendingAt } = outcome;
  await ctx.log.record(placement);
  // Not awaited for the reply: if it is lost, a drain re-records the placement harmlessly.
  ctx.store.markPersisted(placement).catch(() => {});
  if (oldestPendingAt !== null && oldestPendingAt < now - ORPHAN_AFTER_MS) {
    persistPending(ctx.store, ctx.log, now - ORPHAN_AFTER_MS).catch(() => {});
  }
  return { status: 'placed', placement, nextAllowedAt: nextAllowedAt(placement.placedAt, ctx.rules) };
}
