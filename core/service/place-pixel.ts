// The write use case: apply the pixel live (atomically, with cooldown), make it durable, and
// only then acknowledge. Shared by the HTTP handler and (through it) the socket servers.
import { nextAllowedAt } from '../domain/cooldown.ts';
import type { PixelWrite } from '../domain/pixel-write.ts';
import type { Placement } from '../domain/placement.ts';
import { RebuildInProgressError, StoreUnavailableError } from '../errors.ts';
import { metrics, reportFailure } from '../observability/telemetry.ts';
import type { PersistenceGate } from './persistence-gate.ts';
import type { PendingDrainer } from './persist-pending.ts';
import { drainOrphans, ensureBoard, type HealContext } from './self-heal.ts';
import type { BoardStatus } from '../domain/moderation.ts';

export interface PlaceContext extends HealContext {
  gate: PersistenceGate;
  drainer: PendingDrainer;
  /** A placement still pending after this long was orphaned by a failed writer: drain it. */
  orphanAfterMs: number;
}

export interface Writer {
  userId: string;
  ip: string;
  /** When the writer's session was issued (revocations cover sessions issued at or before them). */
  sessionIssuedAt: number;
}

export type PlaceResult =
  | { status: 'placed'; placement: Placement; nextAllowedAt: number; replayed: boolean }
  | { status: 'rate_limited'; retryAfterMs: number; reason: 'cooldown' | 'ip' }
  | { status: 'revoked' }
  /** x or y is off the board, whose size (now) is width × height. */
  | { status: 'out_of_bounds'; width: number; height: number }
  /** The idempotency key was used for a different pixel. */
  | { status: 'key_reused'; placement: Placement }
  /** Refused by moderation: the board is not open, the writer or address is banned, the pixel is protected. */
  | { status: 'closed'; state: BoardStatus['state']; message: string | null; opensAt: number | null }
  | { status: 'banned'; until: number | null }
  | { status: 'protected' };

/**
 * Throws StoreUnavailableError when a store fails (nothing is acknowledged; a write the live
 * store applied is persisted later by a drain, and a retry with the same idempotency key
 * returns it).
 */
export async function placePixel(
  ctx: PlaceContext, write: PixelWrite, who: Writer, options: { idempotencyKey?: string | null; now?: number } = {},
): Promise<PlaceResult> {
  const now = options.now ?? Date.now();
  await ctx.gate.ready(now);
  const request = { ...write, userId: who.userId, ip: who.ip, now, sessionIssuedAt: who.sessionIssuedAt, idempotencyKey: options.idempotencyKey };
  let outcome = await ctx.store.place(request);
  if (outcome.status === 'no_board') {
    await ensureBoard(ctx, 'write');
    outcome = await ctx.store.place(request);
  }
  switch (outcome.status) {
    case 'no_board': throw new StoreUnavailableError('the board is being rebuilt', { store: 'redis' });
    case 'fenced': throw new RebuildInProgressError('the board is being restored', outcome.retryAfterMs, { store: 'redis' });
    case 'revoked': return { status: 'revoked' };
    case 'out_of_bounds': return outcome;
    case 'cooldown': return { status: 'rate_limited', retryAfterMs: outcome.retryAfterMs, reason: 'cooldown' };
    case 'ip_limited': return { status: 'rate_limited', retryAfterMs: outcome.retryAfterMs, reason: 'ip' };
    case 'closed': return { status: 'closed', state: outcome.state, message: outcome.message, opensAt: outcome.opensAt };
    case 'banned': return { status: 'banned', until: outcome.until };
    case 'protected': return { status: 'protected' };
    // The writer is told it placed; nothing changed, nothing is persisted.
    case 'shadow': {
      const p = outcome.placement;
      return { status: 'placed', placement: p, nextAllowedAt: p.placedAt + outcome.cooldownMs, replayed: false };
    }
    case 'duplicate': {
      const p = outcome.placement;
      if (p.x !== write.x || p.y !== write.y || p.color !== write.color) return { status: 'key_reused', placement: p };
      // The first attempt may have failed before persistence: make sure before answering again.
      await persist(ctx, p);
      const { cooldownMs } = await ctx.store.boardStatus();
      return { status: 'placed', placement: p, nextAllowedAt: nextAllowedAt(p.placedAt, { ...ctx.rules, cooldownMs }), replayed: true };
    }
    case 'placed': {
      const { placement, oldestPendingAt } = outcome;
      await persist(ctx, placement);
      metrics.count('placements');
      drainOrphans(ctx, oldestPendingAt, now);
      const rules = outcome.cooldownMs === undefined ? ctx.rules : { ...ctx.rules, cooldownMs: outcome.cooldownMs };
      return { status: 'placed', placement, nextAllowedAt: nextAllowedAt(placement.placedAt, rules), replayed: false };
    }
  }
}

async function persist(ctx: PlaceContext, p: Placement): Promise<void> {
  try {
    await ctx.log.record(p);
  } catch (err) {
    ctx.gate.failed(err);
    throw err instanceof StoreUnavailableError ? err : new StoreUnavailableError('persistence failed', { cause: err });
  }
  // Not awaited for the reply: if it is lost, a drain re-records the placement harmlessly.
  ctx.store.markPersisted(p).catch((err: unknown) => reportFailure('mark-persisted', err));
}
