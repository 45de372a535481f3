// `npm run bench:reconnect`: a reconnect storm. N BoardSync clients (the page's sync library,
// in worker processes) on two socket-server processes on real Redis, the local runner serving
// the HTTP API (board, segments, since) on the same Redis, a writer placing R pixels/s. One
// socket server is SIGKILLed; its clients reconnect (jittered) to the other naming their seq and
// epoch. Measured: time until every moved client is live with every pixel written before the
// kill, Redis commands per moved client (commands during the storm minus the same window's
// share of the steady state before it), HTTP requests and bytes the storm caused. Then the
// writes stop and every client's board is checked against the server's. Runs with the replay
// ring on (the design) and off (SOCKET_REPLAY_MAX_BYTES=0: every moved client catches up over HTTP).
// The write rate is low on purpose: 10,000 clients at the tick's 20 frames/s would need 200,000
// socket writes/s, past this machine's ceiling (bench:fanout, 45,000–83,000), and the storm would
// then measure an overloaded machine; at 1 px/s each client gets at most one frame a second.
//   RECONNECT_CLIENTS (10000), RECONNECT_RATE (1 px/s), RECONNECT_BOARD (500x500),
//   RECONNECT_MODES (replay,no-replay), RECONNECT_RUNS (1), RECONNECT_WINDOW_S (10),
//   RECONNECT_SPREAD_MS (the clients' jitter after a lost server; default BoardSync's own)
import './exit-on-signal.ts';
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { createBoard, setColorAt } from '../core/domain/board-codec.ts';
import { startRedis } from '../local/processes/redis-process.ts';
import { ENTRY, startServiceProcess, type ServiceProcess } from '../local/processes/node-process.ts';
import { freePort, tempDir } from '../test-support/test-services.ts';
import { atRate, round, summarize } from './bench-support.ts';
import { addCounts, emptyCounts, FETCH_KINDS, type FetchCounts } from './counting-fetch.ts';

const CLIENTS = Number(process.env.RECONNECT_CLIENTS ?? 10_000);
const RATE = Number(process.env.RECONNECT_RATE ?? 1);
const [WIDTH, HEIGHT] = (process.env.RECONNECT_BOARD ?? '500x500').split('x').map(Number) as [number, number];
const MODES = (process.env.RECONNECT_MODES ?? 'replay,no-replay').split(',') as ('replay' | 'no-replay')[];
const RUNS = Number(process.env.RECONNECT_RUNS ?? 1);
const WINDOW_S = Number(process.env.RECONNECT_WINDOW_S ?? 10);
const SPREAD_MS = Number(process.env.RECONNECT_SPREAD_MS ?? 0);
const WORKERS = 2;
const size = { width: WIDTH, height: HEIGHT };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ask<T>(worker: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => { if (m.type === reply) { worker.off('message', on); resolve(m as T); } };
    worker.on('message', on);
    worker.send(message);
  });
}
const askAll = <T>(workers: ChildProcess[], message: object, reply: string) => Promise.all(workers.map((w) => ask<T>(w, message, reply)));

/** Calls per command so far (INFO commandstats), and the total (which counts commands run inside scripts and MULTI too). */
async function commandCalls(client: Redis): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const m of (await client.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out.set(m[1]!, Number(m[2]));
  out.set('total', Number((await client.info('stats')).match(/^total_commands_processed:(\d+)/m)![1]));
  return out;
}
const minus = (a: Map<string, number>, b: Map<string, number>) => new Map([...a].map(([k, v]) => [k, v - (b.get(k) ?? 0)]));

/** Connections the kernel dropped because a listen queue was full (all sockets on the machine). */
function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'));
  const names = lines[0]!.split(' ');
  return Number(lines[1]!.split(' ')[names.indexOf('ListenOverflows')]);
}

/** A socket server's own view (its /metrics). */
async function serverView(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const v = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  return `${v('pixel_socket_connections')} connections, loop delay p99 ${round(v('nodejs_eventloop_lag_p99_seconds') * 1000, 0)} ms, `
    + `${v('pixel_socket_slow_consumers_closed_total')} slow consumers closed, ${v('pixel_socket_errors_total')} socket errors`;
}

/** 1 while the process on `port` relays the feed (its /metrics). */
async function relayLeader(port: number): Promise<boolean> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return /^pixel_socket_relay_leader 1$/m.test(text);
}

async function storm(mode: 'replay' | 'no-replay') {
  const redis = await startRedis({ port: await freePort(), dataDir: tempDir('reconnect-redis') });
  const env: Record<string, string> = {
    REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench', DATA_DIR: tempDir('reconnect-data'), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
    BOARD_WIDTH: String(WIDTH), BOARD_HEIGHT: String(HEIGHT), COOLDOWN_MS: '0', SESSION_SECRET: 'bench-secret',
    PLACEMENTS_PER_IP: '1000000', SESSIONS_PER_IP_PER_HOUR: '1000000', SOCKET_CONNECTIONS_PER_IP: '1000000',
    // Every client is 127.0.0.x here; in AWS each viewer has its own address (and a CDN in front).
    READS_PER_IP_PER_MINUTE: '1000000',
    // The digest after each hello stays; the minutely one would land inside the measured window.
    SOCKET_DIGEST_MS: '600000', SNAPSHOT_INTERVAL_MS: '0',
    ...(mode === 'no-replay' ? { SOCKET_REPLAY_MAX_BYTES: '0' } : {}),
  };
  const writer = await RedisBoardStore.connect({
    redis: { url: redis.url, keyPrefix: 'bench', authSecretArn: null }, size, rules: { cooldownMs: 0, placementsPerIp: 1e9 },
    sessionsPerIpPerHour: 1, updatesKept: 100_000,
  });
  // A board with some noise on it (a fifth of its pixels), so the board a client loads is not empty.
  const noisy = createBoard(size);
  for (let i = 0; i < (WIDTH * HEIGHT) / 5; i++) setColorAt(noisy, Math.floor(Math.random() * WIDTH * HEIGHT), 1 + Math.floor(Math.random() * 15));
  await writer.restore({ board: noisy, seq: 0, version: 0 }, [], Date.now());
  const stats = new Redis(redis.url);
  const processes: ServiceProcess[] = [];
  const workers = Array.from({ length: WORKERS }, () => fork(new URL('./reconnect-worker.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' }));
  let writing = true;
  let lastSeq = 0;
  let failedWrites = 0;
  try {
    const runner = await startServiceProcess(env, ENTRY.runner, 'ignore');
    processes.push(runner);
    const servers = [await startServiceProcess(env, ENTRY.socketServer, 'ignore'), await startServiceProcess(env, ENTRY.socketServer, 'ignore')];
    processes.push(...servers);
    const apiUrl = `http://127.0.0.1:${runner.port}`;
    const socketUrls = servers.map((s) => `ws://127.0.0.1:${s.port}/ws`);
    await sleep(1500); // the board published once
    const connectStarted = performance.now();
    const per = Math.ceil(CLIENTS / WORKERS);
    const connected = await Promise.all(workers.map((w, i) => ask<{ live: number }>(w, {
      type: 'start', apiUrl, socketUrls, count: Math.min(per, CLIENTS - i * per), firstClient: i * per, firstAddress: 2 + i * 8, spreadMs: SPREAD_MS,
    }, 'connected')));
    const connectS = (performance.now() - connectStarted) / 1000;
    // The writer: RATE px/s through the write script, confirmed as persisted as the write path does.
    const writes = atRate(Infinity, RATE, (i) =>
      writer.place({ x: i % WIDTH, y: (i * 7) % HEIGHT, color: i % 16, userId: 'writer', ip: 'bench', now: Date.now() }).then((o) => {
        if (o.status !== 'placed') return;
        lastSeq = Math.max(lastSeq, o.placement.seq);
        return writer.markPersisted(o.placement);
      }).catch(() => { failedWrites++; }), () => !writing);
    await sleep(3000);
    // The steady state: every command Redis runs with writes flowing and nobody reconnecting.
    const base0 = await commandCalls(stats);
    const baseStarted = performance.now();
    await sleep(WINDOW_S * 1000);
    const baseline = minus(await commandCalls(stats), base0);
    const baseSeconds = (performance.now() - baseStarted) / 1000;
    const leaders = { runner: await relayLeader(runner.port), killed: await relayLeader(servers[0]!.port), survivor: await relayLeader(servers[1]!.port) };

    const steady = await askAll<{ behind: number; minSeq: number; live: number }>(workers, { type: 'progress' }, 'progress');
    const steadyLag = lastSeq - Math.min(...steady.map((w) => w.minSeq));
    const overflows0 = listenOverflows();
    await serverView(servers[1]!.port); // prom-client's loop-delay histogram restarts at each scrape
    const storm0 = await commandCalls(stats);
    const seqAtKill = lastSeq;
    const killedAt = Date.now();
    await servers[0]!.kill();
    await askAll(workers, { type: 'kill', seq: seqAtKill, killedHome: 0, killedAt }, 'marked');
    let allBackS = Number.NaN;
    let lastLog = 0;
    while ((Date.now() - killedAt) / 1000 < Math.max(WINDOW_S, 120)) {
      const p = await askAll<{ behind: number; live: number }>(workers, { type: 'progress' }, 'progress');
      if (Math.floor((Date.now() - killedAt) / 5000) !== lastLog) {
        lastLog = Math.floor((Date.now() - killedAt) / 5000);
        console.error(`  t=${round((Date.now() - killedAt) / 1000, 1)} s: ${p.reduce((n, w) => n + w.behind, 0)} clients not caught up, ${p.reduce((n, w) => n + w.live, 0)} live`);
      }
      if (p.every((w) => w.behind === 0)) {
        allBackS = (Date.now() - killedAt) / 1000;
        break;
      }
      await sleep(100);
    }
    // The same window length as the baseline (longer if the storm was), so the steady share subtracts cleanly.
    const windowS = Math.max(WINDOW_S, Number.isNaN(allBackS) ? 0 : allBackS + 1);
    await sleep(Math.max(0, killedAt + windowS * 1000 - Date.now()));
    const during = minus(await commandCalls(stats), storm0);
    const overflows = listenOverflows() - overflows0;
    const survivor = await serverView(servers[1]!.port);
    const stormSeconds = (Date.now() - killedAt) / 1000;
    const reports = await askAll<{ stats: Record<string, number>; http: FetchCounts; totalHttp: FetchCounts; movedCatchUps: number[]; moved: number }>(workers, { type: 'report', killedHome: 0 }, 'report');
    const moved = reports.reduce((n, r) => n + r.moved, 0);
    const excess = (cmd: string) => (during.get(cmd) ?? 0) - ((baseline.get(cmd) ?? 0) * stormSeconds) / baseSeconds;
    const perMoved = (cmd: string) => round(excess(cmd) / moved, 2);
    // null: never caught up (NaN does not survive IPC's JSON).
    const catchUps = reports.flatMap((r) => r.movedCatchUps).filter((t): t is number => typeof t === 'number' && t > 0).map((t) => (t - killedAt) / 1000);
    const lat = summarize(catchUps);
    const http = reports.reduce((acc, r) => addCounts(acc, r.http), emptyCounts());
    const initialBoards = reports.reduce((acc, r) => addCounts(acc, r.totalHttp), emptyCounts()).board;
    const syncStats = Object.fromEntries(Object.keys(reports[0]!.stats).map((k) => [k, reports.reduce((n, r) => n + r.stats[k]!, 0)]));
    const topExcess = [...during.keys()].filter((k) => k !== 'total' && k !== 'info').map((k) => [k, excess(k)] as const)
      .filter(([, v]) => v / moved >= 0.01).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${round(v / moved, 2)}`).join(', ');

    // Writes stop; every client must end with the server's board.
    writing = false;
    await writes;
    await sleep(500);
    const truth = (await writer.snapshot())!;
    const sha1 = createHash('sha1').update(truth.bytes).digest('hex');
    const settleStarted = Date.now();
    let check: { atSeq: number; same: number; minSeq: number }[] = [];
    do {
      await sleep(500);
      check = await askAll(workers, { type: 'check', seq: truth.seq, sha1 }, 'check');
    } while (check.reduce((n, c) => n + c.same, 0) < connected.reduce((n, c) => n + c.live, 0) && Date.now() - settleStarted < 30_000);

    return {
      mode: mode === 'replay' ? 'replay from memory (now)' : 'no replay (SOCKET_REPLAY_MAX_BYTES=0)',
      'clients live before / moved by the kill': `${connected.reduce((n, c) => n + c.live, 0)} / ${moved}`,
      'connect all (s)': round(connectS, 1),
      'relay leader (runner / killed / survivor)': `${leaders.runner ? 1 : 0}/${leaders.killed ? 1 : 0}/${leaders.survivor ? 1 : 0}`,
      'slowest client behind the writer just before the kill (seqs)': steadyLag,
      'all moved clients back with every pixel (s)': Number.isNaN(allBackS) ? `not within ${round(stormSeconds, 0)} s (${moved - catchUps.length} not)` : round(allBackS, 2),
      'moved client catch-up p50 / p99 / max (s)': `${round(lat.p50, 2)} / ${round(lat.p99, 2)} / ${round(lat.max, 2)}`,
      'Redis commands per moved client (excess over steady state)': perMoved('total'),
      'of which (per moved client)': topExcess || 'none ≥ 0.01',
      'steady-state Redis commands/s': round((baseline.get('total') ?? 0) / baseSeconds, 0),
      'storm window (s)': round(stormSeconds, 1),
      'HTTP in the storm: requests board/segment/since/tile/other': FETCH_KINDS.map((k) => http[k].requests).join('/'),
      'HTTP in the storm: KB board/segment/since/tile (received)': FETCH_KINDS.slice(0, 4).map((k) => round(http[k].bytes / 1024, 1)).join('/'),
      'reconnects / resumed from memory / repairs / board loads (storm)': `${syncStats.reconnects}/${syncStats.resumedFromMemory}/${syncStats.repairs}/${syncStats.boardLoads}`,
      'failed writes': failedWrites,
      'connections dropped by full listen queues (machine-wide)': overflows,
      'survivor at the end of the window': survivor,
      'initial board loads (KB on the wire each)': `${initialBoards.requests - http.board.requests} (${round((initialBoards.wire - http.board.wire) / Math.max(1, initialBoards.requests - http.board.requests) / 1024, 1)})`,
      'after writes stop: clients at the last seq / with the server board': `${check.reduce((n, c) => n + c.atSeq, 0)} / ${check.reduce((n, c) => n + c.same, 0)}`,
    };
  } finally {
    writing = false;
    for (const w of workers) w.send({ type: 'stop' });
    await Promise.all(processes.map((p) => p.kill()));
    stats.disconnect();
    await writer.close();
    await redis.stop();
  }
}

console.log(`${CLIENTS} clients on 2 socket servers, ${RATE} px/s, ${WIDTH}×${HEIGHT} board; one server SIGKILLed; reconnect spread ${SPREAD_MS || 'BoardSync default'} ms`);
for (let run = 0; run < RUNS; run++) {
  for (const mode of MODES) {
    const row = await storm(mode);
    console.log(`\nrun ${run + 1}: ${row.mode}`);
    for (const [k, v] of Object.entries(row)) if (k !== 'mode') console.log(`  ${k.padEnd(66)} ${v}`);
  }
}
