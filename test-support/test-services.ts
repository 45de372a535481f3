// Real services for the integration tests. Cassandra takes seconds and a gigabyte to start, so
// one instance serves the whole run (each test file gets its own keyspace); Redis starts in
// milliseconds, so each test that needs one starts its own on a free port.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { startRedis, type RedisProcess } from '../local/processes/redis-process.ts';
import type { CassandraConfig } from '../core/config.ts';
import { migrate } from '../core/pixel-log/migrate.ts';
import { localCassandraConfig } from '../local/processes/cassandra-process.ts';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

const made = new Set<string>();

/** tempDir's folders are named `pixels-<pid>-<prefix>-…`, so a later run can tell those of a run that was killed. */
const TEMP_NAME = /^pixels-(\d+)-/;

/**
 * A new folder in the system's temp folder, removed after the test file (test-support/temp-cleanup.ts)
 * or, elsewhere, when the process exits: folders left behind by every run would fill the disk.
 * A run killed before either leaves them; the next test run removes them (removeAbandonedTempDirs).
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pixels-${process.pid}-${prefix}-`));
  if (made.size === 0) process.once('exit', removeTempDirs);
  made.add(dir);
  return dir;
}

/** Removes the folders tempDir made so far; their servers must be stopped. */
export function removeTempDirs(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}

/**
 * Removes the folders tempDir made in processes that are gone (a run killed before it could clean
 * up: the test Cassandra's folder alone holds hundreds of MB). Folders of live processes, another
 * run's included, are left alone. Returns the names it removed.
 */
export function removeAbandonedTempDirs(root = tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    rmSync(path.join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, but another user's
  }
}

export async function startTestRedis(replicaOf?: number): Promise<RedisProcess> {
  return startRedis({ port: await freePort(), dataDir: tempDir('redis'), replicaOf });
}

/** The shared test Cassandra's port, set by the vitest global setup. */
export function testCassandraPort(): number {
  const port = Number(process.env.TEST_CASSANDRA_PORT);
  if (!port) throw new Error('TEST_CASSANDRA_PORT is not set: run the tests through vitest (global setup starts Cassandra)');
  return port;
}

/** A fresh, migrated keyspace in the shared test Cassandra. */
export async function freshKeyspace(): Promise<CassandraConfig> {
  const config = localCassandraConfig(testCassandraPort(), `t_${randomBytes(6).toString('hex')}`);
  await migrate(config);
  return config;
}
