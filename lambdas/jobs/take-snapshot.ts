// A board snapshot to S3, on a schedule (an EventBridge rule every snapshotEveryMinutes,
// infra/board-jobs.ts): what a restore starts from. Not an HTTP route. A failure throws, so
// Lambda's Errors metric (alarmed) and its retries see it; no board yet is not a failure (a
// request will start the restore).
import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { storeServices } from '../runtime.ts';
import { takeSnapshot } from '../../core/service/snapshots.ts';
import { countEvent, describeError, log, telemetry } from '../../core/observability/telemetry.ts';

export type SnapshotResult = { taken: true; seq: number; key: string } | { taken: false; reason: 'no board' };

export async function handler(_event?: Partial<ScheduledEvent>, context?: Pick<Context, 'awsRequestId'> & Partial<Context>): Promise<SnapshotResult> {
  const t = telemetry();
  t.startInvocation?.({ functionName: 'take-snapshot', ...context, awsRequestId: context?.awsRequestId ?? randomUUID() });
  try {
    // Stamped with the time the board is read, not the schedule's (a retry comes later): a restore
    // trusts a snapshot's time to hold no placement after it.
    const meta = await takeSnapshot(await storeServices());
    if (meta) return { taken: true, seq: meta.seq, key: meta.key };
    countEvent('snapshot.no_board');
    log.warn('no board to snapshot: the live board is missing (the next request starts a restore)');
    return { taken: false, reason: 'no board' };
  } catch (err) {
    log.error('board snapshot failed', { error: describeError(err) });
    throw err;
  } finally {
    t.endInvocation?.();
  }
}
