// When the service repairs itself is decided here, and only here: the live board missing (a
// fresh or emptied Redis) means a rebuild, run here or, while another process runs one, a fast
// 503; placements orphaned by a failed writer mean a background drain. Callers say what they
// saw; every run and every failure is logged and counted.
import { RebuildInProgressError } from '../errors.ts';
import { log, metrics, reportFailure } from '../observability/telemetry.ts';
import type { RestoreJobs } from './restore-jobs.ts';
import type { PendingDrainer } from './persist-pending.ts';
import { rebuildBoard, type RebuildContext } from './rebuild.ts';

export interface HealContext extends RebuildContext {
  /** Where a restore runs when a request finds no board (absent or inline: right here). */
  jobs?: RestoreJobs;
}

/**
 * The live store has no board (seen by `trigger`). With restore jobs, a request starts one (at
 * most one per REBUILD_LOCK_MS) and gets a fast 503; otherwise the board is rebuilt here, or,
 * while another process rebuilds, this waits up to `waitMs` (0: a fast 503).
 */
export async function ensureBoard(ctx: HealContext, trigger: string, waitMs = 0): Promise<void> {
  const deadline = Date.now() + waitMs;
  while ((await ctx.store.head()) === null) {
    if (ctx.jobs && ctx.jobs.mode !== 'inline' && waitMs === 0) {
      await startRestoreJob(ctx, ctx.jobs, trigger);
      throw new RebuildInProgressError('the board is being restored', 5000);
    }
    log.warn('the live board is missing: rebuilding it from persistence', { trigger });
    if (await rebuildBoard(ctx)) return;
    if (Date.now() >= deadline) throw new RebuildInProgressError('the board is being rebuilt', 2000);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startRestoreJob(ctx: HealContext, jobs: RestoreJobs, trigger: string): Promise<void> {
  // The first request to take this lock starts the job; the lock is left to run out, so a job
  // that dies is started again one lock period later, not by every request in between.
  if (!(await ctx.store.tryLock('restore-job', ctx.rebuildLockMs))) return;
  metrics.count('rebuilds', { outcome: 'job_started' });
  log.warn('the live board is missing: starting a restore job', { trigger, mode: jobs.mode });
  await jobs.start(trigger).catch((err: unknown) => reportFailure('restore-job-start', err));
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
