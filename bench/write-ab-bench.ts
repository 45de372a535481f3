// `npm run bench:write-ab`: the Redis CPU per accepted write of this working tree's write path
// against another commit's (AB_REF, default HEAD), in one invocation, runs alternating A B B A.
// Redis CPU per write drifts between invocations on this machine by more than most single changes
// to the write script save (docs/PERFORMANCE.md, "Redis cost per write"); alternating the two in
// one invocation and comparing the medians and the pairs is what tells a change from the drift.
// Writes as in bench:feed's page path: batched (REDIS_WRITE_BATCH_MS 2), each from a new user with
// an Idempotency-Key, confirmed as persisted, on a primary with a replica; no subscribers and no
// relay (neither depends on the script: bench:feed measures them). Each run first writes four
// cooldown windows unmeasured (steady state for both ways of remembering placements: keys that
// expire one window after they are made, or buckets dropped three windows after they
// begin, so the measured seconds drop as many placements as they make), then deletes its keys
// and waits until Redis has freed them, so that no run pays for another's.
//   AB_REF (HEAD), AB_RATE (20000 writes/s), AB_SECONDS (8), AB_ROUNDS (4: each round runs both),
//   AB_TTL_S (5: the cooldown and the Idempotency-Key window), AB_USERS_PER_IP (1: users per
//   IPv4 address; 0: every write from one address), AB_SERVER_A and AB_SERVER_B (redis-server:
//   each variant's server binary; with two, each has a primary and replica of its own, and with
//   AB_REF at a clean HEAD the two differ only in the engine: `npm run bench:get-valkey`),
//   AB_RETURNING (0; 1: a pool of users, each at an address of its own, placing again every 1.2
//   cooldowns, as an event's active users do, instead of a new user at a new address per write),
//   AB_MODERATED (0; 1: the board has a user ban, of a user who never writes, and a protected
//   pixel no write lands on, so that every write makes both checks, as after an event's first ban;
//   without either the script skips them),
//   AB_INSTRUCTIONS (0; 1: count the primary's instructions per accepted write under Valgrind's
//   callgrind, Debian's `valgrind`, instead of its CPU time, see below), AB_BATCH (57: writes per script call there,
//   as batches held at 20,000/s), AB_WRITES (11,400: writes counted per run there),
//   AB_CALLGRIND_DIR (a temp folder, removed at the end: where callgrind's dumps go; a folder
//   given is kept, each run's dump for `callgrind_annotate`).
// CPU time drifts with the machine; an instruction count does not. With AB_INSTRUCTIONS=1 the
// primary runs under callgrind, counting only while a run's measured writes are in flight
// (callgrind_control turns it on, dumps and turns it off). Valgrind cannot keep 20,000 writes/s,
// so there the writes go closed-loop, AB_BATCH at a time (each batch one script call), with the
// warm-up writing four cooldowns of wall time. Instructions say nothing of cache misses, which
// bigger hashes cost more of: they compare code, the CPU-time runs say what it costs.
import './exit-on-signal.ts';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBoard } from '../core/domain/board-codec.ts';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { Redis } from 'ioredis';
import { startRedis, type RedisProcess } from '../local/processes/redis-process.ts';
import { freePort, tempDir } from '../test-support/test-services.ts';
import { atRate, benchWriters, cpuSeconds, engineOf, median, round } from './bench-support.ts';

const REF = process.env.AB_REF ?? 'HEAD';
const RATE = Number(process.env.AB_RATE ?? 20_000);
const SECONDS = Number(process.env.AB_SECONDS ?? 8);
const ROUNDS = Number(process.env.AB_ROUNDS ?? 4);
const TTL_MS = Number(process.env.AB_TTL_S ?? 5) * 1000;
const USERS_PER_IP = Number(process.env.AB_USERS_PER_IP ?? 1);
const RETURNING = process.env.AB_RETURNING === '1';
const INSTRUCTIONS = process.env.AB_INSTRUCTIONS === '1';
const MODERATED = process.env.AB_MODERATED === '1';
const BATCH = Number(process.env.AB_BATCH ?? 57);
const COUNTED_WRITES = Number(process.env.AB_WRITES ?? 11_400);
const writers = benchWriters({ returning: RETURNING, rate: RATE, cooldownMs: TTL_MS, usersPerIp: USERS_PER_IP });
const SERVERS = { A: process.env.AB_SERVER_A || 'redis-server', B: process.env.AB_SERVER_B || 'redis-server' };
const size = { width: 1000, height: 1000 };
type Store = typeof RedisBoardStore;

// The other commit's store, from a worktree of its own (its modules, this checkout's node_modules).
const repo = resolve(import.meta.dirname, '..');
const worktree = mkdtempSync(join(tmpdir(), 'write-ab-'));
execFileSync('git', ['-C', repo, 'worktree', 'add', '--detach', '--quiet', worktree, REF]);
symlinkSync(join(repo, 'node_modules'), join(worktree, 'node_modules'));
const dataDirs: string[] = [];
/** Where callgrind writes its dumps, and the script that starts a server under it. */
const callgrindDir = process.env.AB_CALLGRIND_DIR ? resolve(process.env.AB_CALLGRIND_DIR) : tempDir('write-ab-callgrind');
mkdirSync(callgrindDir, { recursive: true });
function underCallgrind(server: string): string {
  const wrapper = join(callgrindDir, `${server.replace(/\W/g, '_')}.sh`);
  writeFileSync(wrapper, `#!/bin/sh\nexec valgrind --tool=callgrind --trace-children=yes --instr-atstart=no --callgrind-out-file=${callgrindDir}/cg.%p ${server} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}
/** A primary and its replica on this server binary (with AB_INSTRUCTIONS, the primary under callgrind). */
async function startPair(server: string): Promise<{ primary: RedisProcess; replica: RedisProcess }> {
  dataDirs.push(tempDir('write-ab-primary'), tempDir('write-ab-replica'));
  const primary = await startRedis({ port: await freePort(), dataDir: dataDirs.at(-2)!, server: INSTRUCTIONS ? underCallgrind(server) : server });
  const replica = await startRedis({ port: await freePort(), dataDir: dataDirs.at(-1)!, replicaOf: primary.port, server });
  return { primary, replica };
}

/** Instructions callgrind counted in the primary between `on` and `dump` (the newest dump's total). */
const callgrind = (command: string[], pid: number) => execFileSync('callgrind_control', [...command, String(pid)], { stdio: 'ignore' });
function lastDumpInstructions(pid: number): number {
  const dumps = readdirSync(callgrindDir).filter((f) => f.startsWith(`cg.${pid}.`)).sort((a, b) => Number(a.split('.').at(-1)) - Number(b.split('.').at(-1)));
  const totals = /^totals: (\d+)/m.exec(readFileSync(join(callgrindDir, dumps.at(-1)!), 'utf8'));
  if (!totals) throw new Error(`no totals in callgrind's dump ${dumps.at(-1)}`);
  return Number(totals[1]);
}

/** Closed loop: `batch` calls at once (one script call), the next when they are answered. */
async function inBatches(total: number, batch: number, call: (i: number) => Promise<number>, until = Infinity): Promise<number> {
  let done = 0;
  for (let i = 0; i < total && Date.now() < until; i += batch) {
    done += (await Promise.all(Array.from({ length: Math.min(batch, total - i) }, (_, j) => call(i + j)))).reduce((a, b) => a + b, 0);
  }
  return done;
}
const pairA = await startPair(SERVERS.A);
const pairs = { A: pairA, B: SERVERS.B === SERVERS.A ? pairA : await startPair(SERVERS.B) };

/** One run: µs of primary CPU per accepted write (with AB_INSTRUCTIONS, thousands of instructions). */
async function run(Store: Store, primary: RedisProcess): Promise<number> {
  const prefix = `ab${randomBytes(4).toString('hex')}`;
  const store = await Store.connect({
    redis: { url: primary.url, keyPrefix: prefix, authSecretArn: null, writeBatchMs: 2 },
    size, rules: { cooldownMs: TTL_MS, placementsPerIp: 1e9 }, idempotencyTtlMs: TTL_MS, sessionsPerIpPerHour: 1,
    updatesKept: 100_000, feedMode: 'relay',
  });
  try {
    await store.restore({ board: createBoard(size), seq: 0, version: 0 }, [], Date.now());
    if (MODERATED) {
      // The writes' pixels are (i mod 1000, 7i mod 1000): none is (999, 999).
      await store.setUserBan('ab-banned', { userId: 'ab-banned', until: null, shadow: false });
      await store.setProtectedAreas([{ name: 'ab', x0: 999, y0: 999, x1: 999, y1: 999 }]);
    }
    const nth = (offset: number) => (i: number) => {
      const { user, ip, key } = writers.nth(offset + i);
      return store.place({ x: i % 1000, y: (i * 7) % 1000, color: i % 16, userId: user, ip, now: Date.now(), idempotencyKey: key })
        .then((o) => (o.status === 'placed' ? store.markPersisted(o.placement).then(() => 1) : 0));
    };
    // Four cooldowns (and at least every returning user once): see the top of the file.
    const warm = Math.max(RETURNING ? writers.pool : 0, (RATE * 4 * TTL_MS) / 1000);
    if (INSTRUCTIONS) {
      await inBatches(warm, BATCH, nth(0), Date.now() + 4 * TTL_MS);
      callgrind(['-i', 'on'], primary.pid);
      const placed = await inBatches(COUNTED_WRITES, BATCH, nth(warm));
      callgrind(['-d'], primary.pid);
      callgrind(['-i', 'off'], primary.pid);
      return lastDumpInstructions(primary.pid) / placed / 1000;
    }
    await atRate(warm, RATE, nth(0));
    const before = cpuSeconds(primary.pid);
    const placed = (await atRate(RATE * SECONDS, RATE, nth(warm))).reduce((a, b) => a + b, 0);
    return ((cpuSeconds(primary.pid) - before) * 1e6) / placed;
  } finally {
    await store.close();
    await dropKeys(primary, prefix);
  }
}

/** Deletes a run's keys and waits until Redis has freed them (UNLINK frees big values on a thread of its own). */
async function dropKeys(primary: RedisProcess, prefix: string): Promise<void> {
  const redis = new Redis(primary.url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', 10_000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    while (/lazyfree_pending_objects:(\d+)/.exec(await redis.info('memory'))?.[1] !== '0') await new Promise((r) => setTimeout(r, 100));
  } finally {
    redis.disconnect();
  }
}

try {
  const engine = async (v: 'A' | 'B') => {
    const redis = new Redis(pairs[v].primary.url);
    try { return await engineOf(redis); } finally { redis.disconnect(); }
  };
  const variants: Record<'A' | 'B', { title: string; store: Store }> = {
    A: { title: `${REF} (${execFileSync('git', ['-C', worktree, 'rev-parse', '--short', 'HEAD']).toString().trim()}) on ${await engine('A')}`, store: (await import(join(worktree, 'core/board-store/redis-board-store.ts'))).RedisBoardStore as Store },
    B: { title: `this working tree on ${await engine('B')}`, store: RedisBoardStore },
  };
  const us: Record<'A' | 'B', number[]> = { A: [], B: [] };
  // Redis's tables grow to size in the first run, which costs it more: not counted.
  for (const pair of new Set([pairs.A, pairs.B])) await run(RedisBoardStore, pair.primary);
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of (r % 2 === 0 ? ['A', 'B'] : ['B', 'A']) as ('A' | 'B')[]) {
      us[v].push(round(await run(variants[v].store, pairs[v].primary), 1));
      console.log(v, us[v].at(-1));
    }
  }
  console.log(INSTRUCTIONS
    ? `\n${COUNTED_WRITES} writes a run in calls of ${BATCH}, ${ROUNDS} runs each, alternating; thousands of the primary's instructions (callgrind) per accepted write`
    : `\n${RATE} writes/s, ${SECONDS} s a run, ${ROUNDS} runs each, alternating; µs of primary Redis CPU per accepted write`);
  console.table((['A', 'B'] as const).map((v) => ({ variant: `${v}: ${variants[v].title}`, runs: us[v].join(', '), median: round(median(us[v]), 1) })));
  console.log('B − A, round by round:', us.B.map((b, i) => round(b - us.A[i]!, 1)).join(', '));
} finally {
  for (const pair of new Set([pairs.A, pairs.B])) {
    await pair.replica.stop();
    await pair.primary.stop();
  }
  execFileSync('git', ['-C', repo, 'worktree', 'remove', '--force', worktree]);
  for (const dir of [worktree, ...(process.env.AB_CALLGRIND_DIR ? [] : [callgrindDir]), ...dataDirs]) rmSync(dir, { recursive: true, force: true });
}
