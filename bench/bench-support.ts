// Shared pieces of the benchmarks: percentiles, a keep-alive HTTP poster, and the service
// started as its own process (embedded or on real Redis + Cassandra).
import http from 'node:http';
import type { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { localCassandraConfig, startCassandra, type CassandraProcess } from '../local/processes/cassandra-process.ts';
import { startRedis, type RedisProcess } from '../local/processes/redis-process.ts';
import { freePort, tempDir } from '../test-support/test-services.ts';
export { startServiceProcess } from '../local/processes/node-process.ts';
import { migrate } from '../core/pixel-log/migrate.ts';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
}

export function summarize(latencies: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

/**
 * Starts `call(i)` for i < total at `rate` a second (open loop: it never waits for answers), then
 * waits for all. `stopped` ends it early (with total Infinity: writes until told to stop).
 */
export async function atRate<T>(total: number, rate: number, call: (i: number) => Promise<T>, stopped: () => boolean = () => false): Promise<T[]> {
  const started = performance.now();
  const inflight: Promise<T>[] = [];
  for (let i = 0; i < total && !stopped(); i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const pending = call(i);
    pending.catch(() => {}); // failures reach the caller through Promise.all below, not as unhandled
    inflight.push(pending);
  }
  return Promise.all(inflight);
}

/** CPU seconds (user + system) a process has used, from /proc (10 ms resolution). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

/**
 * A bench write's client address: with 0 users per address all share one ("bench", not a real
 * address, so no address-ban check runs); else each `usersPerIp` writes share a real IPv4 address.
 */
export function benchAddress(writeNo: number, usersPerIp: number): string {
  if (usersPerIp <= 0) return 'bench';
  const n = Math.floor(writeNo / usersPerIp);
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Who makes a run's nth write, from which address, with which Idempotency-Key. By default a new
 * user every write (each `usersPerIp` of them sharing an address, see benchAddress); `returning`:
 * a pool of users that each place again every 1.2 cooldowns at `rate`, always from the same
 * address, as an event's active users do. Number a run's writes on from its warm-up, so the two
 * never share a user. Ids and keys are as long as the service's: a user id is 12 bytes in
 * base64url (newUserId), the page's key 16 bytes in hex. Their length decides the length of the
 * records Redis keeps, and with it whether Redis keeps a small hash or sorted set packed.
 */
export function benchWriters(o: { returning: boolean; rate: number; cooldownMs: number; usersPerIp: number }) {
  const pool = Math.ceil((o.rate * o.cooldownMs * 1.2) / 1000);
  return {
    /** Writes that make every user of the pool once. */
    pool,
    nth(n: number): { user: string; ip: string; key: string } {
      const u = o.returning ? n % pool : n;
      const id = Buffer.alloc(12);
      id.writeUIntBE(u, 6, 6);
      return { user: id.toString('base64url'), ip: benchAddress(u, o.usersPerIp), key: n.toString(16).padStart(32, '0') };
    },
  };
}

/** The server's engine and version as INFO states them ("Redis 7.0.15", "Valkey 8.0.1"). */
export async function engineOf(redis: Redis): Promise<string> {
  const info = await redis.info('server');
  const field = (name: string) => new RegExp(`^${name}:(.+)$`, 'm').exec(info)?.[1]?.trim();
  // Valkey also states a redis_version (the Redis it is compatible with).
  const valkey = field('valkey_version');
  return valkey ? `Valkey ${valkey}` : `Redis ${field('redis_version') ?? '?'}`;
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function post(agent: http.Agent, port: number, path: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end(body);
  });
}

export interface BenchStores {
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function embeddedStores(): Promise<BenchStores> {
  return { env: { DATA_DIR: tempDir('bench-data') }, stop: async () => {} };
}

export async function realStores(): Promise<BenchStores> {
  const redis: RedisProcess = await startRedis({ port: await freePort(), dataDir: tempDir('bench-redis') });
  const cassandra: CassandraProcess = await startCassandra({
    dataDir: tempDir('bench-cassandra'), cqlPort: await freePort(), storagePort: await freePort(), heapMb: 2048,
  });
  await migrate(localCassandraConfig(cassandra.cqlPort, 'bench'));
  return {
    env: {
      DATA_DIR: tempDir('bench-data'), REDIS_URL: redis.url, CASSANDRA_CONTACT_POINTS: '127.0.0.1',
      CASSANDRA_PORT: String(cassandra.cqlPort), CASSANDRA_KEYSPACE: 'bench',
    },
    stop: async () => { await cassandra.stop(); await redis.stop(); },
  };
}
