// The restore job as the image ships it: the Dockerfile's own esbuild command bundles
// bin/rebuild.ts, and the bundle, alone in a folder without node_modules (as in the image), runs
// the task's command against real Redis and Cassandra, and reaches Keyspaces through the SigV4
// plugin (the aws-sdk alias). No Docker needed: the command is read from the Dockerfile.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './http-functions.ts';
import { RESTORE_COMMAND } from './board-jobs.ts';
import { freshKeyspace, startTestRedis, tempDir } from '../test-support/test-services.ts';
import type { RedisProcess } from '../local/processes/redis-process.ts';
import type { CassandraConfig } from '../core/config.ts';

const run = promisify(execFile);

describe('the restore job bundled as in the image', () => {
  const out = tempDir('image');
  let redis: RedisProcess;
  let cassandra: CassandraConfig;
  beforeAll(async () => {
    redis = await startTestRedis();
    cassandra = await freshKeyspace();
    // The Dockerfile's RUN line that bundles the entry points, writing to a temporary folder instead of dist/.
    const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const bundle = dockerfile.replace(/\\\n\s*/g, ' ').split('\n').find((l) => l.startsWith('RUN ') && l.includes('esbuild'))!;
    await run('sh', ['-c', bundle.slice('RUN '.length).replaceAll('dist/$entry.mjs', `${out}/$entry.mjs`)], { cwd: REPO_ROOT });
  }, 120_000);
  afterAll(async () => redis?.stop());

  /** The task's command (`node rebuild.mjs --if-missing`) in the bundle's folder. */
  const task = (env: Record<string, string>) => run(RESTORE_COMMAND[0]!, RESTORE_COMMAND.slice(1), {
    cwd: out, env: { PATH: process.env.PATH, BOARD_WIDTH: '20', BOARD_HEIGHT: '10', REDIS_URL: redis.url, ...env },
  });

  it('restores a missing board from Cassandra, and leaves a live one alone', async () => {
    const stores = { CASSANDRA_CONTACT_POINTS: '127.0.0.1', CASSANDRA_PORT: String(cassandra.port), CASSANDRA_KEYSPACE: cassandra.keyspace };
    const first = await task(stores);
    expect(first.stdout).toContain('board restored: 0 pixels, seq 0');
    const second = await task(stores);
    expect(second.stdout).toContain('the live board is there (seq 0): nothing to restore');
  }, 60_000);

  it('reaches Amazon Keyspaces through the SigV4 plugin, and says so in an error line when it cannot', async () => {
    const failed = await task({
      REDIS_KEY_PREFIX: 'other', CASSANDRA_CONTACT_POINTS: '127.0.0.1', CASSANDRA_FLAVOUR: 'keyspaces', CASSANDRA_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    }).then(() => null, (err: { code: number; stdout: string; stderr: string }) => err);
    expect(failed?.code).toBe(1);
    const line = failed!.stderr.split('\n').find((l) => l.includes('"restore failed"'))!;
    expect(JSON.parse(line)).toMatchObject({ level: 'error', msg: 'restore failed', error: { name: 'StoreUnavailableError' } });
    expect(line).toMatch(/9142/);
  }, 60_000);
});
