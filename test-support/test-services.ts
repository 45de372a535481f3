// Real services for the integration tests. Cassandra takes seconds and a gigabyte to start, so
// one instance serves the whole run (each test file gets its own keyspace); Redis starts in
// milliseconds, so each test that needs one starts its own on a free port.
import { mkdtempSync, rmSync } from 'node:fs';
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

/**
 * A new folder in the system's temp folder, removed after the test file (test-support/temp-cleanup.ts)
 * or, elsewhere, when the process exits: folders left behind by every run would fill the disk.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  if (made.size === 0) process.once('exit', removeTempDirs);
  made.add(dir);
  return dir;
}

/** Removes the folders tempDir made so far; their servers must be stopped. */
export function removeTempDirs(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
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
