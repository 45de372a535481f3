// Where a restore runs when a request finds the live board missing: never in the request. The
// request starts a job (at most one per REBUILD_LOCK_MS, across processes) and answers a fast
// 503 with Retry-After; the job holds the rebuild lock, which expires with it if it dies.
// `process` runs `bin/rebuild.ts` as a detached child (start:cluster), `ecs` runs the restore
// task definition on Fargate (AWS), `inline` restores in this process (npm start, tests).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RebuildJobConfig } from '../config.ts';
import { log } from '../observability/telemetry.ts';

export interface RestoreJobs {
  readonly mode: 'inline' | 'process' | 'ecs';
  /** Starts a restore elsewhere and returns without waiting for it. */
  start(reason: string): Promise<void>;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export class InlineRestore implements RestoreJobs {
  readonly mode = 'inline';
  async start(): Promise<void> {
    throw new Error('inline restores run in the request (ensureBoard), not as a job');
  }
}

/** `node --import tsx bin/rebuild.ts --if-missing` with this process's environment, detached, output to its log. */
export class ChildProcessRestore implements RestoreJobs {
  readonly mode = 'process';
  async start(reason: string): Promise<void> {
    // --if-missing: a second job started while the first is still starting finds the board back and stops.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bin', 'rebuild.ts'), '--if-missing'], {
      cwd: REPO_ROOT, env: process.env, stdio: 'ignore', detached: true,
    });
    child.once('error', (err) => log.error('the restore job could not start', { error: err.message }));
    child.unref();
    log.warn('started a restore job', { reason, pid: child.pid });
  }
}

/** ECS RunTask of the restore task definition (its command runs bin/rebuild.ts). */
export class EcsTaskRestore implements RestoreJobs {
  readonly mode = 'ecs';
  constructor(private readonly job: RebuildJobConfig) {}

  async start(reason: string): Promise<void> {
    const { ECSClient, RunTaskCommand } = await import('@aws-sdk/client-ecs');
    const ecs = new ECSClient({});
    try {
      const out = await ecs.send(new RunTaskCommand(this.runTaskInput()));
      if (out.failures?.length) throw new Error(`RunTask failed: ${out.failures.map((f) => f.reason).join('; ')}`);
      log.warn('started a restore task', { reason, task: out.tasks?.[0]?.taskArn });
    } finally {
      ecs.destroy();
    }
  }

  /** What RunTask gets (a function of the config alone, so it can be checked without AWS). */
  runTaskInput() {
    return {
      cluster: this.job.cluster!, taskDefinition: this.job.taskDefinition!, launchType: 'FARGATE' as const, count: 1,
      networkConfiguration: { awsvpcConfiguration: { subnets: this.job.subnets, securityGroups: this.job.securityGroups, assignPublicIp: 'DISABLED' as const } },
      startedBy: 'place-restore',
    };
  }
}

export function restoreJobs(job: RebuildJobConfig): RestoreJobs {
  switch (job.mode) {
    case 'process': return new ChildProcessRestore();
    case 'ecs': return new EcsTaskRestore(job);
    default: return new InlineRestore();
  }
}
