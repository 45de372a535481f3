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

/** Each part: how it is computed from the report's inclusive ("children") shares by function. */
const PARTS: [string, (s: (fn: string) => number) => number][] = [
  ['script: Lua interpreter, its string and number conversions', (s) => s('lua_pcall') - s('scriptCall')],
  ['script: KEYS/ARGV tables in, replies out', (s) => s('luaCallFunction') - s('lua_pcall')],
  ['script commands (redis.call), all', (s) => s('scriptCall')],
  ['  of which SET', (s) => s('setCommand')],
  ['  of which MGET', (s) => s('mgetCommand')],
  ['  of which ZADD (pending)', (s) => s('zaddGenericCommand')],
  ['  of which BITFIELD', (s) => s('bitfieldGeneric')],
  ['  of which XADD', (s) => s('xaddCommand')],
  ['expiring keys (activeExpireCycle)', (s) => s('activeExpireCycle')],
  ['propagating to the replica (replicationFeedSlaves)', (s) => s('replicationFeedSlaves')],
  ['reading and parsing requests', (s) => s('readQueryFromClient') - s('call')],
  ['writing replies and the replica stream', (s) => s('handleClientsWithPendingWrites')],
  ['other commands (confirmations, relay, stats)', (s) => s('call') - s('evalGenericCommand')],
];

/** Throws, saying what is missing, when this machine cannot profile. */
export function assertCanProfile(): void {
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
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
    const { stdout } = await run('perf', ['report', '-i', data, '--children', '--sort', 'symbol', '--stdio', '-g', 'none'], { maxBuffer: 64 << 20 });
    const shares = new Map<string, number>();
    for (const m of stdout.matchAll(/^\s+([\d.]+)%\s+[\d.]+%\s+\[[.k]\]\s+(\S+)/gm)) {
      shares.set(m[2]!, (shares.get(m[2]!) ?? 0) + Number(m[1]));
    }
    const s = (fn: string) => shares.get(fn) ?? 0;
    return Object.fromEntries(PARTS.map(([name, share]) => [name, round(share(s), 1)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
