// `npm run bench:feed`: Redis CPU per accepted write as the number of subscribed socket servers
// grows, for the earlier design (every write publishes itself, one script call per write), the
// relay (one batch per tick) with one script call per write (as from Lambdas) and with writes
// batched per call (REDIS_WRITE_BATCH_MS, as from the local runner), and the relay with the
// subscribers on a read replica (REDIS_FEED_URL), in one run. The
// subscribers are bare sockets that SUBSCRIBE and discard what comes (a socket server's Redis
// connection, without the socket server). Writes go through the store's write script and its
// persistence confirmation, as the write path does, at each of FEED_RATE writes/s: a light load
// (2,000/s, about r/place 2022's peak) and a loaded Redis (20,000/s). Per-write CPU differs
// between them because an idle Redis pays to wake up for each call (the floor table shows it with
// a bare PING at each rate). Redis's own INFO commandstats (usec per command) says where each
// write's µs go: the write script, the persistence confirmation (ZREM), the relay's reads
// (MULTI/GET/XRANGE), PUBLISH.
//   FEED_SUBSCRIBERS (1,50,200), FEED_RATE (2000,20000), FEED_SECONDS (10), FEED_RUNS (3),
//   FEED_DESIGNS (publish,relay-single,relay,relay-replica; also: replicated relay),
//   FEED_BATCH_MS (the REDIS_WRITE_BATCH_MS default), FEED_CONNECTIONS (32: the concurrent
//   writers of "a call per write", like as many Lambda instances), FEED_WRITERS (1: how many
//   batching processes share the writes of a batched design, like the writer service's tasks;
//   a list runs each), FEED_KEYS (0; 1: every write carries an Idempotency-Key, as the page's
//   do; every write is from a new user, so a key's record never has to move to a key of its
//   own, as with the default window no longer than the cooldown), FEED_USERS_PER_IP (0: every
//   write from one address, whose count is one hot field; n: each n users share a real IPv4
//   address of their own, so a write also counts in its address's field (dropped with its window), and its
//   address is checked against the address bans, as most of an event's writes do), FEED_DETAIL
//   (1: also print each Redis command's µs per write, a script's own commands included),
//   FEED_TTL_S (300: the cooldown and the Idempotency-Key window; at most 60, the bench first
//   writes that long unmeasured, so that each measured second drops as many users' placements as it
//   makes, as a steady state does, and the MB delivered include the warm-up's; with 300 the keys
//   expire after the run, or during a later cell's). FEED_DESIGNS=none measures only the floor:
//   the Redis CPU of a bare PING and of an empty script called with a write's keys and arguments.
//   FEED_SERVER (redis-server: the server binary; `npm run bench:get-valkey` prints Valkey's).
//   FEED_RETURNING (0; 1: a pool of users placing again every 1.2 cooldowns, each at the same
//   address every time, as an event's active users do, instead of a new user per write; the
//   warm-up is then one pass over the pool).
//   FEED_PROFILE (0; 1: after each cell's runs, one more run, not counted, during which Linux
//   `perf` samples the Redis server that takes the writes and prints the share of its CPU in
//   each part of the write path: bench/redis-profile.ts; needs perf and root).
//   The publish design runs at the first rate only: at 20,000 writes/s to 200 subscribers it
//   would be 4 M deliveries a second, past Redis's output buffer limits.
import './exit-on-signal.ts';
import { Worker } from 'node:worker_threads';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createBoard } from '../core/domain/board-codec.ts';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { FeedRelay } from '../core/board-store/feed-relay.ts';
import { redisKeys } from '../core/board-store/redis-keys.ts';
import { ONE_WRITE_CALL } from '../core/board-store/place-args.ts';
import { loadConfig } from '../core/config.ts';
import { startRedis } from '../local/processes/redis-process.ts';
import { Redis } from 'ioredis';
import { freePort, tempDir } from '../test-support/test-services.ts';
import { atRate, benchWriters, cpuSeconds, engineOf, median, round } from './bench-support.ts';
import { assertCanProfile, profileShares } from './redis-profile.ts';

const SUBSCRIBERS = (process.env.FEED_SUBSCRIBERS ?? '1,50,200').split(',').map(Number);
const RATES = (process.env.FEED_RATE ?? '2000,20000').split(',').map(Number);
const CONNECTIONS = Number(process.env.FEED_CONNECTIONS ?? 32);
const WRITERS = (process.env.FEED_WRITERS ?? '1').split(',').map(Number);
const KEYS = process.env.FEED_KEYS === '1';
const USERS_PER_IP = Number(process.env.FEED_USERS_PER_IP ?? 0);
const RETURNING = process.env.FEED_RETURNING === '1';
const DETAIL = process.env.FEED_DETAIL === '1';
const PROFILE = process.env.FEED_PROFILE === '1';
if (PROFILE) assertCanProfile();
const TTL_MS = Number(process.env.FEED_TTL_S ?? 300) * 1000;
const WARMUP_MS = TTL_MS <= 60_000 ? TTL_MS : 0;
const SECONDS = Number(process.env.FEED_SECONDS ?? 10);
const RUNS = Number(process.env.FEED_RUNS ?? 3);
const size = { width: 1000, height: 1000 };

// The subscribers read in a thread of their own, so that at the loaded rate their reading does
// not take the event loop that drives the writes (the bench, not Redis, would be measured).
const SUBSCRIBER_THREAD = `
const net = require('node:net');
const { parentPort, workerData: { port, channel, count } } = require('node:worker_threads');
let bytes = 0;
const sockets = [];
let ready = 0;
for (let i = 0; i < count; i++) {
  const s = net.connect({ port, host: '127.0.0.1' }, () => {
    s.write('*2\\r\\n$9\\r\\nSUBSCRIBE\\r\\n$' + Buffer.byteLength(channel) + '\\r\\n' + channel + '\\r\\n');
    if (++ready === count) setTimeout(() => parentPort.postMessage('ready'), 200);
  });
  s.on('data', (chunk) => { bytes += chunk.length; });
  s.on('error', (err) => { throw err; });
  sockets.push(s);
}
parentPort.on('message', () => {
  for (const s of sockets) s.destroy();
  parentPort.postMessage(bytes);
  parentPort.close();
});
`;

/** `count` subscribers that read and throw away, on one channel; close() says how many bytes came. */
async function subscribers(port: number, channel: string, count: number): Promise<{ close(): Promise<number> }> {
  const worker = new Worker(SUBSCRIBER_THREAD, { eval: true, workerData: { port, channel, count } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return {
    close: () => new Promise<number>((resolve, reject) => {
      worker.once('message', (bytes: number) => resolve(bytes));
      worker.once('error', reject);
      worker.postMessage('close');
    }),
  };
}

/** usec spent per command so far ("evalsha"), and calls ("evalsha#calls"), from INFO commandstats. */
async function commandUsec(client: Redis): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const m of (await client.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    out.set(m[1]!, Number(m[3]));
    out.set(`${m[1]!}#calls`, Number(m[2]));
  }
  return out;
}

// A Redis with a replica pays for replication on every write (ElastiCache with redisReplicas ≥ 1
// does), so designs are compared on the same setup: without a replica, and with one.
type Design = 'publish' | 'relay-single' | 'relay' | 'replicated relay' | 'relay-replica';
const BATCH_MS = Number(process.env.FEED_BATCH_MS ?? loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis!.writeBatchMs);
// "A call per write" is one script call for each write (batches of one), as from a Lambda function.
const DESIGNS: Record<Design, { title: string; replicated: boolean; batchMs: number; batchMax?: number }> = {
  publish: { title: 'publish each write (before), a call per write, no replica', replicated: false, batchMs: 0, batchMax: 1 },
  'relay-single': { title: 'relay, a call per write, no replica', replicated: false, batchMs: 0, batchMax: 1 },
  relay: { title: `relay, writes batched (${BATCH_MS} ms), no replica`, replicated: false, batchMs: BATCH_MS },
  'replicated relay': { title: `relay, writes batched (${BATCH_MS} ms), with a replica, subscribers on the primary`, replicated: true, batchMs: BATCH_MS },
  'relay-replica': { title: `relay, writes batched (${BATCH_MS} ms), with a replica, subscribers on the replica`, replicated: true, batchMs: BATCH_MS },
};
const CHOSEN = (process.env.FEED_DESIGNS === 'none' ? []
  : process.env.FEED_DESIGNS?.split(',') ?? ['publish', 'relay-single', 'relay', 'relay-replica']) as Design[];

/**
 * What any one-call-per-write design pays before doing anything: Redis CPU per call of a bare
 * PING, and of an empty script given as many keys and arguments as a single write sends.
 */
async function floor(redis: { url: string; pid: number }, rate: number): Promise<Record<string, string | number>> {
  const client = new Redis(redis.url, { enableAutoPipelining: true });
  const keys = Array.from({ length: ONE_WRITE_CALL.keys }, (_, i) => `floor-key-${i}`);
  const args = Array.from({ length: ONE_WRITE_CALL.args }, (_, i) => `argument-${i}`);
  const sha = (await client.script('LOAD', 'return 1')) as string;
  const perCall = async (call: () => Promise<unknown>) => {
    const values: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const total = rate * Math.max(1, Math.round(SECONDS / 2));
      const before = cpuSeconds(redis.pid);
      await atRate(total, rate, call);
      values.push(((cpuSeconds(redis.pid) - before) * 1e6) / total);
    }
    return `${round(Math.min(...values), 1)}–${round(Math.max(...values), 1)}`;
  };
  try {
    return {
      'calls/s': rate,
      'PING, CPU µs per call': await perCall(() => client.ping()),
      [`empty script, ${keys.length} keys + ${args.length} args, CPU µs per call`]: await perCall(() => client.evalsha(sha, keys.length, ...keys, ...args)),
    };
  } finally {
    client.disconnect();
  }
}

/**
 * The write path's share of Redis time, from per-command usec deltas. Commands a script or a
 * MULTI runs are counted both on their own and in the EVALSHA / EXEC that ran them, so only
 * top-level commands are summed: the script (its PUBLISH, in the publish design, is inside it),
 * the ZREM confirmations, the relay's MULTI/GET/XRANGE/EXEC and its PUBLISH.
 */
function writeParts(d: (cmd: string) => number, mode: Design): Record<string, number> {
  const parts = {
    script: d('evalsha') + d('eval'),
    'of which PUBLISH': mode === 'publish' ? d('publish') : 0,
    confirm: d('zrem'),
    'relay read': d('multi') + d('exec'),
    'relay PUBLISH': mode !== 'publish' ? d('publish') : 0,
  };
  return { ...parts, 'commands total': parts.script + parts.confirm + parts['relay read'] + parts['relay PUBLISH'] };
}
const PARTS = ['script', 'of which PUBLISH', 'confirm', 'relay read', 'relay PUBLISH', 'commands total'];

const dataDirs = [tempDir('feed-bench'), tempDir('feed-bench-primary'), tempDir('feed-bench-replica')];
const server = process.env.FEED_SERVER || 'redis-server';
const plain = await startRedis({ port: await freePort(), dataDir: dataDirs[0]!, server });
const primary = await startRedis({ port: await freePort(), dataDir: dataDirs[1]!, server });
const replica = await startRedis({ port: await freePort(), dataDir: dataDirs[2]!, replicaOf: primary.port, server });
const stats = { plain: new Redis(plain.url), primary: new Redis(primary.url) };
const serverVersion = await engineOf(stats.primary);
const rows: Record<string, string | number>[] = [];
const parts: Record<string, string | number>[] = [];
const floors: Record<string, string | number>[] = [];
const profiles: Record<string, Record<string, number>> = {};
const range = (v: number[] | undefined) => (v ? `${round(Math.min(...v), 1)}–${round(Math.max(...v), 1)}` : '0');

/** The design's title, with the number of batching processes when there are several. */
const titleOf = (mode: Design, writers: number) => (writers > 1 ? `${DESIGNS[mode].title}, from ${writers} writer processes` : DESIGNS[mode].title);

/** One cell: `subs` subscribers, one design, at `rate` writes/s, RUNS times; batched writes spread over `writers` batching stores. */
async function cell(rate: number, subs: number, mode: Design, writers: number): Promise<void> {
  const redis = DESIGNS[mode].replicated ? primary : plain;
  const statsOf = DESIGNS[mode].replicated ? stats.primary : stats.plain;
  const perWrite: number[] = [];
  const replicaPerWrite: number[] = [];
  const achieved: number[] = [];
  const partUsec = new Map<string, number[]>();
  const writesPerCall: number[] = [];
  let delivered = 0;
  const label = `${rate}/s, ${subs} subscribers, ${writers > 1 ? `${mode} ×${writers}` : mode}`;
  for (let run = 0; run < RUNS + (PROFILE ? 1 : 0); run++) {
    const profiling = run === RUNS;
    const prefix = `b${randomBytes(4).toString('hex')}`;
    // A call per write comes from many writers at once (each Lambda instance serves one
    // request at a time, on its own connection); a batching process writes on one, and the
    // writes are spread evenly over the processes (as the ALB spreads them over writer tasks).
    const connections = DESIGNS[mode].batchMax === 1 ? CONNECTIONS : writers;
    const stores = await Promise.all(Array.from({ length: connections }, () => RedisBoardStore.connect({
      redis: { url: redis.url, keyPrefix: prefix, authSecretArn: null, writeBatchMs: DESIGNS[mode].batchMs, writeBatchMax: DESIGNS[mode].batchMax }, size, rules: { cooldownMs: TTL_MS, placementsPerIp: 1e9 }, idempotencyTtlMs: TTL_MS,
      sessionsPerIpPerHour: 1, updatesKept: 100_000, feedMode: mode === 'publish' ? 'publish' : 'relay',
    })));
    await stores[0]!.restore({ board: createBoard(size), seq: 0, version: 0 }, [], Date.now());
    const listeners = await subscribers(mode === 'relay-replica' ? replica.port : redis.port, redisKeys(prefix).channel, subs);
    const relay = mode !== 'publish' ? new FeedRelay(stores[0]!, { tickMs: 50, leaseMs: 3000, pageSize: 10_000 }, () => 0) : null;
    relay?.start();
    try {
      const total = rate * SECONDS;
      const writers = benchWriters({ returning: RETURNING, rate, cooldownMs: TTL_MS, usersPerIp: USERS_PER_IP });
      // The nth write of the run (the warm-up's first, then the measured ones), on connection i.
      const write = (n: number, i: number) => {
        const store = stores[i % connections]!;
        const { user, ip, key } = writers.nth(n);
        return store.place({ x: i % 1000, y: (i * 7) % 1000, color: i % 16, userId: user, ip, now: Date.now(), idempotencyKey: KEYS ? key : null });
      };
      const warmup = RETURNING ? writers.pool : (rate * WARMUP_MS) / 1000;
      if (warmup > 0) {
        await atRate(warmup, rate, (i) => write(i, i)
          .then((o) => (o.status === 'placed' ? stores[i % connections]!.markPersisted(o.placement) : undefined)));
      }
      const profile = profiling ? profileShares(redis.pid, Math.max(1, SECONDS - 2)) : null;
      profile?.catch(() => { /* awaited, and so reported, after the run */ });
      const usecBefore = await commandUsec(statsOf);
      const cpuBefore = cpuSeconds(redis.pid);
      const replicaBefore = cpuSeconds(replica.pid);
      const started = performance.now();
      let accepted = 0;
      await atRate(total, rate, (i) => write(warmup + i, i)
        .then((o) => { if (o.status === 'placed') { accepted++; return stores[i % connections]!.markPersisted(o.placement); } return undefined; }));
      if (profile) {
        profiles[label] = await profile;
        continue;
      }
      achieved.push((accepted * 1000) / (performance.now() - started));
      await new Promise((r) => setTimeout(r, 200)); // the relay's last tick
      const cpu = cpuSeconds(redis.pid) - cpuBefore;
      replicaPerWrite.push(((cpuSeconds(replica.pid) - replicaBefore) * 1e6) / accepted);
      perWrite.push((cpu * 1e6) / accepted);
      const usecAfter = await commandUsec(statsOf);
      const delta = (cmd: string) => ((usecAfter.get(cmd) ?? 0) - (usecBefore.get(cmd) ?? 0)) / accepted;
      for (const [part, v] of Object.entries(writeParts(delta, mode))) partUsec.set(part, [...(partUsec.get(part) ?? []), v]);
      if (DETAIL) console.log(Object.fromEntries([...usecAfter.keys()].filter((k) => !k.includes('#')).map((k) => [k, round(delta(k), 2)]).filter(([, v]) => (v as number) > 0.05)));
      const scriptCalls = (delta('evalsha#calls') + delta('eval#calls')) * accepted;
      writesPerCall.push(total / scriptCalls);
    } finally {
      await relay?.stop();
      const bytes = await listeners.close();
      if (!profiling) delivered = bytes; // the profiled run is not counted
      await Promise.all(stores.map((s) => s.close()));
    }
  }
  rows.push({
    'writes/s (achieved)': `${rate} (${range(achieved.map(Math.round))})`, subscribers: subs, design: titleOf(mode, writers),
    'primary CPU µs per write (min–max)': range(perWrite),
    // Each run's too: runs of the same code differ by up to 2 µs here, so how many fall on which side of a line says more than the ends.
    'primary, each run (median)': `${perWrite.map((v) => round(v, 1)).join(', ')} (${round(median(perWrite), 1)})`,
    'replica CPU µs per write': DESIGNS[mode].replicated ? range(replicaPerWrite) : '–',
    'MB delivered to subscribers (last run)': round(delivered / 1e6, 1),
  });
  console.log(rows.at(-1));
  parts.push({
    'writes/s': rate, subscribers: subs, design: writers > 1 ? `${mode} ×${writers}` : mode, 'writes per script call': range(writesPerCall),
    ...Object.fromEntries(PARTS.map((p) => [`${p} µs`, range(partUsec.get(p))])),
  });
}

try {
  for (const rate of RATES) {
    floors.push(await floor(plain, rate));
    console.log(floors.at(-1));
  }
  for (const [r, rate] of RATES.entries()) {
    for (const subs of SUBSCRIBERS) {
      for (const mode of CHOSEN) {
        if (mode === 'publish' && r > 0) continue;
        for (const writers of DESIGNS[mode].batchMax === 1 ? [1] : WRITERS) {
          // A cell this machine cannot drive (commands time out) is reported, not fatal.
          await cell(rate, subs, mode, writers).catch((err: unknown) => {
            rows.push({ 'writes/s (achieved)': `${rate} (not sustained)`, subscribers: subs, design: titleOf(mode, writers), 'primary CPU µs per write (min–max)': (err as Error).message });
            console.log(rows.at(-1));
          });
        }
      }
    }
  }
  console.log('\nThe floor: one connection (Redis CPU from /proc)');
  console.table(floors);
  if (rows.length > 0) {
    console.log(`\n${SECONDS} s per run, ${RUNS} runs each; ${serverVersion}; Redis CPU from /proc (10 ms resolution)`);
    console.table(rows);
    console.log('\nRedis command time per accepted write (INFO commandstats usec; the CPU figure also holds reading, parsing and replying: the rest)');
    console.table(parts);
  }
  if (PROFILE) {
    console.log('\nShare of the Redis server\'s CPU (%) in each part, one profiled run a cell (perf samples; a command\'s replication is also in "propagating")');
    const cells = Object.keys(profiles);
    const byPart = Object.keys(profiles[cells[0]!] ?? {}).map((part) => ({ part, ...Object.fromEntries(cells.map((c) => [c, profiles[c]![part]])) }));
    console.table(byPart);
  }
} finally {
  stats.plain.disconnect();
  stats.primary.disconnect();
  await replica.stop();
  await primary.stop();
  await plain.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}
