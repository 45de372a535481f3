// `npm run bench:rollback`: how long a rollback of a vandal's ROLLBACK_PIXELS pixels takes over
// HTTP (POST /api/admin/rollback) on real Redis + Cassandra, and what ordinary writes elsewhere on
// the board see meanwhile (p50/p99 at a steady WRITE_RATE/s, against the same load without a
// rollback). Each run seeds a fresh vandal: an earlier user's colours under the area, then the
// vandal's pixels over them (one each), then rolls the vandal back and times the undo too.
//   ROLLBACK_PIXELS (10,000: a 100×100 area), ROLLBACK_RUNS (3), WRITE_RATE (200/s)
import './exit-on-signal.ts';
import http from 'node:http';
import { signSession, newUserId } from '../core/domain/session-token.ts';
import { loadConfig } from '../core/config.ts';
import { CassandraPixelLog } from '../core/pixel-log/cassandra-pixel-log.ts';
import { CassandraModerationLog } from '../core/moderation/cassandra-moderation-log.ts';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { setRole } from '../core/moderation/moderation-service.ts';
import type { Placement } from '../core/domain/placement.ts';
import { atRate, post, realStores, round, startServiceProcess, summarize } from './bench-support.ts';

const PIXELS = Number(process.env.ROLLBACK_PIXELS ?? 10_000);
const RUNS = Number(process.env.ROLLBACK_RUNS ?? 3);
const RATE = Number(process.env.WRITE_RATE ?? 200);
const SECRET = 'bench-secret';
const SIDE = Math.ceil(Math.sqrt(PIXELS));
const size = { width: 1000, height: 1000 };

const token = (userId: string) => signSession(SECRET, { userId, issuedAt: Date.now() });

function request(port: number, method: string, path: string, auth: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, path, method,
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown> }));
    });
    req.once('error', reject);
    req.end(text);
  });
}

/** Ordinary writes below the area, each by a new user, at RATE/s until `until` resolves (or `seconds` pass). */
async function ordinaryWrites(port: number, stop: Promise<unknown> | number): Promise<{ latencies: number[]; failed: Map<string, number> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const latencies: number[] = [];
  const failed = new Map<string, number>(); // by HTTP status, or the network error's code
  const fail = (why: string) => failed.set(why, (failed.get(why) ?? 0) + 1);
  let done = false;
  if (typeof stop === 'number') setTimeout(() => { done = true; }, stop);
  else void stop.finally(() => { done = true; });
  await atRate(Infinity, RATE, (i) => {
    const t0 = performance.now();
    const body = JSON.stringify({ x: i % size.width, y: 500 + (Math.floor(i / size.width) % 400), color: i % 16 });
    return post(agent, port, '/api/pixels', body, { 'content-type': 'application/json', authorization: `Bearer ${token(newUserId())}` })
      .then((status) => { if (status === 201) latencies.push(performance.now() - t0); else fail(String(status)); }, (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
  }, () => done);
  agent.destroy();
  return { latencies, failed };
}

/** Failed writes as "status×count" (none: 0). */
function failures(...runs: Map<string, number>[]): string {
  const all = new Map<string, number>();
  for (const run of runs) for (const [why, n] of run) all.set(why, (all.get(why) ?? 0) + n);
  return all.size === 0 ? '0' : [...all].map(([why, n]) => `${why}×${n}`).join(', ');
}

const stores = await realStores();
const config = loadConfig({ ...stores.env, BOARD_WIDTH: String(size.width), BOARD_HEIGHT: String(size.height) });
const service = await startServiceProcess({
  ...stores.env, SESSION_SECRET: SECRET, COOLDOWN_MS: '300000', PLACEMENTS_PER_IP: '1000000',
  // Each ordinary write is a new user's first, which the guard would answer with a proof-of-work
  // challenge (403): this bench times the write path, bench:bots the challenges.
  POW_DIFFICULTY: '0',
  BOARD_WIDTH: String(size.width), BOARD_HEIGHT: String(size.height),
});
const log = await CassandraPixelLog.connect(config.cassandra!);
const moderation = await CassandraModerationLog.connect(config.cassandra!);
const store = await RedisBoardStore.connect({ redis: config.redis!, size, rules: config.cooldown, sessionsPerIpPerHour: 1, updatesKept: 100_000 });
const rows: Record<string, number | string>[] = [];
try {
  const admin = newUserId();
  await setRole({ moderation, store }, 'bench', admin, 'admin', 'runs the benchmark');
  const adminToken = token(admin);

  /** Pixels of the area in `userId`'s name, written and persisted as the write path would. */
  const seed = async (userId: string, colour: (i: number) => number) => {
    const pixels = Array.from({ length: PIXELS }, (_, i) => ({ x: i % SIDE, y: Math.floor(i / SIDE), color: colour(i) }));
    for (let i = 0; i < pixels.length; i += 500) {
      const out = await store.placeAsModerator(pixels.slice(i, i + 500), userId, Date.now());
      if (out.status !== 'placed') throw new Error(`seeding: ${out.status}`);
      const placed = out.placements.filter((p): p is Placement => p !== null);
      let next = 0;
      await Promise.all(Array.from({ length: 64 }, async () => {
        while (next < placed.length) {
          const p = placed[next++]!;
          await log.record(p);
          await store.markPersisted(p);
        }
      }));
    }
  };

  const warm = await ordinaryWrites(service.port, 3000); // JIT, prepared statements, connections
  console.log(`warm-up: ${warm.latencies.length} writes`);
  if (warm.latencies.length === 0) throw new Error(`no ordinary write was accepted in the warm-up (failed: ${failures(warm.failed)})`);
  for (let run = 1; run <= RUNS; run++) {
    await seed(`earlier${run}`, (i) => 1 + ((i + run) % 7));
    const from = Date.now();
    await seed(`vandal${run}`, () => 8 + run);
    const to = Date.now();
    const baseline = await ordinaryWrites(service.port, 5000);
    const t0 = performance.now();
    const rolling = request(service.port, 'POST', '/api/admin/rollback', adminToken, {
      x0: 0, y0: 0, x1: SIDE - 1, y1: SIDE - 1, from, to, userId: `vandal${run}`, dryRun: false, reason: 'bench',
    }).then((r) => ({ ...r, ms: performance.now() - t0 }));
    const during = await ordinaryWrites(service.port, rolling);
    const rolled = await rolling;
    if (rolled.status !== 200 || rolled.body.pixels !== PIXELS) throw new Error(`rollback: ${rolled.status} ${JSON.stringify(rolled.body)}`);
    const u0 = performance.now();
    const undone = await request(service.port, 'POST', `/api/admin/rollback/${String(rolled.body.rollbackId)}/undo`, adminToken, { reason: 'bench' });
    const undoMs = performance.now() - u0;
    if (undone.status !== 200 || undone.body.pixels !== PIXELS) throw new Error(`undo: ${undone.status} ${JSON.stringify(undone.body)}`);
    const b = summarize(baseline.latencies);
    const d = summarize(during.latencies);
    rows.push({
      run, pixels: rolled.body.pixels as number, 'rollback s': round(rolled.ms / 1000, 2), 'undo s': round(undoMs / 1000, 2),
      'writes p50 ms (alone)': round(b.p50, 1), 'writes p99 ms (alone)': round(b.p99, 1),
      'writes during': during.latencies.length, 'writes p50 ms (during)': round(d.p50, 1), 'writes p99 ms (during)': round(d.p99, 1),
      'writes max ms (during)': round(d.max, 0), failed: failures(baseline.failed, during.failed),
    });
    console.log(rows.at(-1));
  }
  console.table(rows);
} finally {
  await Promise.allSettled([log.close(), moderation.close(), store.close()]);
  await service.stop();
  await stores.stop();
}
