// When the service repairs itself is decided here, and only here: the live board missing (a
// fresh or emptied Redis) means a rebuild, run here or, while another process runs one, a fast
// 503; placements orphaned by a failed writer mean a background drain. Callers say what they
// saw; every run and every failure is logged and counted.
import { RebuildInProgressError } from '../errors.ts';
import { log } from '../observability/telemetry.ts';
import type { PendingDrainer } from './persist-pending.ts';
import { rebuildBoard, type RebuildContext } from './rebuild.ts';

/**
 * The live store has no board (seen by `trigger`): rebuild it here, or, while another process
 * rebuilds, wait up to `waitMs` (0 for requests: they get a fast 503 instead).
 */
export async function ensureBoard(ctx: RebuildContext, trigger: string, waitMs = 0): Promise<void> {
  const deadline = Date.now() + waitMs;
  while ((await ctx.store.head()) === null) {
    log.warn('the live board is missing: rebuilding it from persistence', { trigger });
    if (await rebuildBoard(ctx)) return;
    if (Date.now() >= deadline) throw new RebuildInProgressError('the board is being rebuilt', 2000);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface OrphanContext {
  drainer: PendingDrainer;
  /** A placement pending persistence this long was orphaned by its writer. */
  orphanAfterMs: number;
}

/** A write saw the oldest pending placement: if it is an orphan, persist the orphans in the background. */
export function drainOrphans(ctx: OrphanContext, oldestPendingAt: number | null, now: number): void {
  if (oldestPendingAt !== null && oldestPendingAt < now - ctx.orphanAfterMs) void ctx.drainer.kick(now - ctx.orphanAfterMs);
}
