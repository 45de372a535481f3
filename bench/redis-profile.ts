// Where a Redis server's CPU goes, by sampling it with Linux `perf` (call graphs from DWARF
// unwinding) while a bench drives it. redis-server is linked with -rdynamic (for its crash
// reports), so even Debian's stripped binary names its exported functions; the Lua interpreter's
// are hidden, which is why the interpreter is the difference lua_pcall − scriptCall.
// The samples are the shares of the server's CPU, inflated in total by perf itself: read the
// shares, and take the µs from a run without the profiler.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { round } from './bench-support.ts';

const run = promisify(execFile);

/** Each part: the functions whose inclusive ("children") shares it adds, then those it subtracts. */
const PARTS: [string, string[], string[]][] = [
  ['script: Lua interpreter, its string and number conversions', ['lua_pcall'], ['scriptCall']],
  ['script: KEYS/ARGV tables in, replies out', ['luaCallFunction'], ['lua_pcall']],
  ['script commands (redis.call), all', ['scriptCall'], []],
  ['  of which HMGET (last placements, address counts)', ['hmgetCommand'], []],
  ['  of which HSET (the same, written back)', ['hsetCommand'], []],
  ['  of which MGET (shared state, revocations)', ['mgetCommand'], []],
  ['  of which ZADD (pending)', ['zaddGenericCommand'], []],
  ['  of which BITFIELD', ['bitfieldGeneric'], []],
  ['  of which XADD', ['xaddCommand'], []],
  ['expiring keys (activeExpireCycle)', ['activeExpireCycle'], []],
  // UNLINK hands a big bucket to a background thread, which frees it.
  ['freeing dropped buckets (background thread)', ['bioProcessBackgroundJobs'], []],
  ['propagating to the replica (replicationFeedSlaves)', ['replicationFeedSlaves'], []],
  ['reading and parsing requests', ['readQueryFromClient'], ['call']],
  ['writing replies and the replica stream', ['handleClientsWithPendingWrites'], []],
  // A script's effects are queued for the replica after the script returns, still inside call().
  ['other commands (confirmations, relay, stats), and queuing scripts\' effects for the replica', ['call'], ['evalGenericCommand']],
];
const FUNCTIONS = [...new Set(PARTS.flatMap(([, add, sub]) => [...add, ...sub]))];

/** Throws, saying what is missing, when this machine cannot profile: it records a trivial command. */
export function assertCanProfile(): void {
  try {
    execFileSync('perf', ['record', '-q', '-o', '/dev/null', '--', 'true'], { stdio: 'ignore' });
  } catch {
    throw new Error('profiling needs Linux perf (Debian: apt-get install linux-perf) and the right to use it (root, or kernel.perf_event_paranoid ≤ 1)');
  }
}

/** Samples process `pid` for `seconds`; resolves to the share of its CPU (%) in each part. */
export async function profileShares(pid: number, seconds: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-profile-'));
  const data = join(dir, 'perf.data');
  try {
    await run('perf', ['record', '--call-graph', 'dwarf,16384', '-F', '300', '-p', String(pid), '-o', data, '--', 'sleep', String(seconds)]);
    const { stdout } = await run('perf', ['report', '-i', data, '--children', '--sort', 'symbol', '--stdio', '-g', 'none'], {
      maxBuffer: 64 << 20, env: { ...process.env, LC_ALL: 'C' },
    });
    const shares = new Map<string, number>();
    for (const m of stdout.matchAll(/^\s*([\d.]+)%\s+[\d.]+%\s+\[[.k]\]\s+(\S+)/gm)) {
      shares.set(m[2]!, (shares.get(m[2]!) ?? 0) + Number(m[1]));
    }
    // A function another build inlines or names differently (Valkey: replicationFeedReplicas) would read as 0.
    const missing = FUNCTIONS.filter((fn) => !shares.has(fn));
    if (missing.length > 0) console.warn(`profile: no samples in ${missing.join(', ')}; the parts that use them are understated`);
    const sum = (fns: string[]) => fns.reduce((total, fn) => total + (shares.get(fn) ?? 0), 0);
    return Object.fromEntries(PARTS.map(([name, add, sub]) => [name, round(sum(add) - sum(sub), 1)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
