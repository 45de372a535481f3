// `npm run bench:write`: acknowledged pixel writes per second and their latency, through the
// local runner over HTTP, on embedded stores and on real Redis + Cassandra. Every write is from
// a distinct user (real cooldowns on), so every 201 is a full write path.
//   BENCH_SECONDS (default 10), BENCH_CONCURRENCY (default 32), BENCH_RATE (default 2000/s)
import './exit-on-signal.ts';
import http from 'node:http';
import { signSession, newUserId } from '../core/domain/session-token.ts';
import { loadConfig, type RedisConfig } from '../core/config.ts';
import { CassandraPixelLog } from '../core/pixel-log/cassandra-pixel-log.ts';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { atRate, embeddedStores, post, realStores, round, startServiceProcess, summarize, type BenchStores } from './bench-support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const SECRET = 'bench-secret';

function tokens(n: number): string[] {
  const now = Date.now();
  return Array.from({ length: n }, () => signSession(SECRET, { userId: newUserId(), issuedAt: now }));
}

interface Phase { acked: number; failed: number; seconds: number; latencies: number[] }

async function closedLoop(port: number, users: string[]): Promise<Phase> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < deadline && next < users.length) {
      const token = users[next++]!;
      const i = next;
      const t0 = performance.now();
      const status = await post(agent, port, '/api/pixels', JSON.stringify({ x: i % 1000, y: Math.floor(i / 1000) % 1000, color: i % 16 }),
        { 'content-type': 'application/json', authorization: `Bearer ${token}` });
      if (status === 201) latencies.push(performance.now() - t0);
      else failed++;
    }
  }));
  agent.destroy();
  return { acked: latencies.length, failed, seconds: (performance.now() - started) / 1000, latencies };
}

async function openLoop(port: number, users: string[]): Promise<Phase> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const phase = await openLoopCalls(Math.min(users.length, RATE * SECONDS), async (i) => {
    const status = await post(agent, port, '/api/pixels', JSON.stringify({ x: i % 1000, y: (i * 7) % 1000, color: i % 16 }),
      { 'content-type': 'application/json', authorization: `Bearer ${users[i]}` });
    if (status !== 201) throw new Error(`status ${status}`);
  });
  agent.destroy();
  return phase;
}

function report(name: string, phase: Phase): Record<string, number | string> {
  const s = summarize(phase.latencies);
  return {
    stores: name,
    'acked/s': round(phase.acked / phase.seconds, 0),
    acked: phase.acked,
    failed: phase.failed,
    'p50 ms': round(s.p50, 2),
    'p99 ms': round(s.p99, 2),
    'max ms': round(s.max, 1),
  };
}

/** The stores alone, called in this process at RATE/s with no HTTP or service in between. */
async function storesAlone(stores: BenchStores): Promise<Record<string, number | string>[]> {
  const config = loadConfig(stores.env);
  const log = await CassandraPixelLog.connect(config.cassandra!);
  const storeWith = (redis: RedisConfig) => RedisBoardStore.connect({
    redis, size: config.board, rules: { cooldownMs: 0, placementsPerIp: 1_000_000 }, sessionsPerIpPerHour: 1, updatesKept: 100_000,
  });
  const store = await storeWith(config.redis!);
  // One script call per write, as from a Lambda function (which serves one request at a time).
  const single = await storeWith({ ...config.redis!, writeBatchMs: 0, writeBatchMax: 1 });
  try {
    const now = Date.now();
    const placement = (i: number) => ({ seq: 10_000_000 + i, x: i % 1000, y: Math.floor(i / 1000) % 1000, color: i % 16, userId: `alone${i}`, placedAt: now, version: now * 1000 + i });
    await openLoopCalls(2000, (i) => log.record(placement(i))); // warm-up
    const cassandra = await openLoopCalls(RATE * SECONDS, (i) => log.record(placement(i)));
    const redis = await openLoopCalls(RATE * SECONDS, (i) => store.place({ x: i % 1000, y: 0, color: 1, userId: `alone${i}`, ip: 'bench', now: Date.now() }));
    const redisSingle = await openLoopCalls(RATE * SECONDS, (i) => single.place({ x: i % 1000, y: 1, color: 1, userId: `single${i}`, ip: 'bench', now: Date.now() }));
    return [
      report(`Cassandra record alone, ${RATE}/s`, cassandra),
      report(`Redis place script alone, writes batched (${config.redis!.writeBatchMs} ms), ${RATE}/s`, redis),
      report(`Redis place script alone, a call per write, ${RATE}/s`, redisSingle),
    ];
  } finally {
    await log.close();
    await store.close();
    await single.close();
  }
}

async function openLoopCalls(total: number, call: (i: number) => Promise<unknown>): Promise<Phase> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  await atRate(total, RATE, (i) => {
    const t0 = performance.now();
    return call(i).then(() => { latencies.push(performance.now() - t0); }, () => { failed++; });
  });
  return { acked: latencies.length, failed, seconds: (performance.now() - started) / 1000, latencies };
}

async function run(name: string, stores: BenchStores): Promise<Record<string, number | string>[]> {
  const service = await startServiceProcess({
    ...stores.env, SESSION_SECRET: SECRET, COOLDOWN_MS: '300000', PLACEMENTS_PER_IP: '1000000',
    // The write path alone: tokens are minted here, with no proof-of-work credits (bench:bots measures that).
    POW_DIFFICULTY: '0',
  });
  try {
    await closedLoop(service.port, tokens(2000)); // warm-up: JIT, prepared statements, connections
    const max = await closedLoop(service.port, tokens(CONCURRENCY * 3000));
    const fixed = await openLoop(service.port, tokens(RATE * SECONDS));
    const rows = [report(`${name}, ${CONCURRENCY} concurrent`, max), report(`${name}, open loop ${RATE}/s`, fixed)];
    await service.stop();
    if (stores.env.CASSANDRA_CONTACT_POINTS) rows.push(...(await storesAlone(stores)));
    return rows;
  } finally {
    await service.stop();
    await stores.stop();
  }
}

const rows = [
  ...(await run('embedded', await embeddedStores())),
  ...(await run('redis + cassandra', await realStores())),
];
console.table(rows);
