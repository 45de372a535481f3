// `npm run bench:fanout`: one socket-server process on Redis, N raw WebSocket clients in
// worker processes, a writer placing R pixels/s through the Redis write script. Reports
// write→receive latency, frames delivered, server RSS per client, event-loop delay, and the
// raw ws writes/s ceiling of this machine measured in the same run: once with 257-byte frames
// (a 50-pixel batch, what 1,000 px/s at 20 ticks/s would send), and after each run with frames
// the size that run's frames averaged (stretched ticks send fewer, bigger frames, and a write
// costs more the more bytes it carries).
//   FANOUT_RUNS (clients x socket-server processes: 5000x1,10000x1,10000x2), FANOUT_RATE (1000),
//   FANOUT_SECONDS (15), FANOUT_IDLE_CLIENTS (19900, on one process; 0 skips that run)
import './exit-on-signal.ts';
import { fork, type ChildProcess } from 'node:child_process';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { createBoard } from '../core/domain/board-codec.ts';
import { startRedis } from '../local/processes/redis-process.ts';
import { ENTRY, startServiceProcess, type ServiceProcess } from '../local/processes/node-process.ts';
import { freePort, tempDir } from '../test-support/test-services.ts';
import { waitForPort } from '../local/processes/process-control.ts';
import { atRate, round, summarize } from './bench-support.ts';
import { BATCH_HEADER_BYTES, PIXEL_RECORD_BYTES } from '../core/protocol/pixel-batch.ts';
import type { FrameRecord } from './raw-ws-client.ts';

const RUNS = (process.env.FANOUT_RUNS ?? '5000x1,10000x1,10000x2').split(',').map((r) => r.split('x').map(Number) as [number, number]);
const RATE = Number(process.env.FANOUT_RATE ?? 1000);
const SECONDS = Number(process.env.FANOUT_SECONDS ?? 15);
const IDLE_CLIENTS = Number(process.env.FANOUT_IDLE_CLIENTS ?? 19_900);
const WORKERS = 2;
const SAMPLE_EVERY = 50;
const size = { width: 1000, height: 1000 };

interface Metrics { connections: number; rssBytes: number; framesSent: number; slowConsumersClosed: number; eventLoopDelayMs: { p50: number; p99: number; max: number } }

/** The socket server's /metrics (Prometheus text), as the few figures this benchmark reports. */
const metrics = async (port: number): Promise<Metrics> => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string) => Number(text.match(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm'))?.[1] ?? Number.NaN);
  const ms = (name: string) => Math.round(value(name) * 1e5) / 100;
  return {
    connections: value('pixel_socket_connections'),
    rssBytes: value('process_resident_memory_bytes'),
    framesSent: value('pixel_socket_frames_sent_total'),
    slowConsumersClosed: value('pixel_socket_slow_consumers_closed_total'),
    // prom-client restarts its event-loop histogram at each scrape, as this benchmark wants.
    eventLoopDelayMs: { p50: ms('nodejs_eventloop_lag_p50_seconds'), p99: ms('nodejs_eventloop_lag_p99_seconds'), max: ms('nodejs_eventloop_lag_max_seconds') },
  };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startWorkers(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => fork(new URL('./fanout-worker.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' }));
}

function ask<T>(worker: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => { if (m.type === reply) { worker.off('message', on); resolve(m as T); } };
    worker.on('message', on);
    worker.send(message);
  });
}

/** Spreads `total` clients over the workers; worker i connects to ports[i % ports.length]. */
async function connectClients(workers: ChildProcess[], ports: number[], total: number): Promise<number> {
  const per = Math.ceil(total / workers.length);
  const results = await Promise.all(workers.map((w, i) => ask<{ count: number; failed: number }>(w, {
    type: 'start', port: ports[i % ports.length], count: Math.min(per, total - i * per), sampleEvery: SAMPLE_EVERY, firstAddress: 2 + i * 8,
  }, 'connected')));
  return results.reduce((n, r) => n + r.count, 0);
}

/** Sums the metrics of several socket servers; frames delivered = Σ frames sent × that server's clients. */
async function allMetrics(ports: number[]): Promise<Metrics & { delivered: number }> {
  const each = await Promise.all(ports.map(metrics));
  const worst = (k: 'p50' | 'p99' | 'max') => Math.max(...each.map((m) => m.eventLoopDelayMs[k]));
  return {
    connections: each.reduce((n, m) => n + m.connections, 0),
    rssBytes: each.reduce((n, m) => n + m.rssBytes, 0),
    framesSent: each.reduce((n, m) => n + m.framesSent, 0),
    slowConsumersClosed: each.reduce((n, m) => n + m.slowConsumersClosed, 0),
    eventLoopDelayMs: { p50: worst('p50'), p99: worst('p99'), max: worst('max') },
    delivered: each.reduce((n, m) => n + m.framesSent * m.connections, 0),
  };
}

async function fanout(clients: number, rate: number, seconds: number, serverCount = 1) {
  const redis = await startRedis({ port: await freePort(), dataDir: tempDir('fanout-redis') });
  const store = await RedisBoardStore.connect({
    redis: { url: redis.url, keyPrefix: 'bench', authSecretArn: null }, size, rules: { cooldownMs: 0, placementsPerIp: 1_000_000 }, sessionsPerIpPerHour: 1, updatesKept: 100_000,
  });
  await store.restore({ board: createBoard(size), seq: 0, version: 0 }, [], Date.now());
  const servers: ServiceProcess[] = [];
  const workers = startWorkers(WORKERS);
  try {
    for (let i = 0; i < serverCount; i++) {
      servers.push(await startServiceProcess({
        REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench', SOCKET_CONNECTIONS_PER_IP: '1000000', SOCKET_PING_MS: '25000',
        HOST: '127.0.0.1',
      }, ENTRY.socketServer));
    }
    const ports = servers.map((s) => s.port);
    await sleep(500);
    const before = await allMetrics(ports);
    const connected = await connectClients(workers, ports, clients);
    await sleep(1000);
    const idle = await allMetrics(ports);
    const writeTimes = new Map<number, number>();
    const started = performance.now();
    let lastSent = started;
    await atRate(rate * seconds, rate, async (i) => {
      lastSent = performance.now();
      const at = performance.timeOrigin + lastSent;
      const r = await store.place({ x: i % 1000, y: (i * 7) % 1000, color: i % 16, userId: 'writer', ip: 'bench', now: Date.now() });
      if (r.status === 'placed') writeTimes.set(r.placement.seq, at);
    });
    const elapsed = (lastSent - started) / 1000;
    await sleep(1500);
    const after = await allMetrics(ports);
    const reports = await Promise.all(workers.map((w) => ask<{ totalBytes: number; frames: FrameRecord[][] }>(w, { type: 'report' }, 'report')));
    const latencies: number[] = [];
    let sampledFrames = 0;
    let sampledClients = 0;
    let complete = 0;
    for (const r of reports) for (const frames of r.frames) {
      sampledClients++;
      sampledFrames += frames.length;
      let pixels = 0;
      for (const f of frames) for (let s = f.firstSeq; s < f.firstSeq + f.count; s++) {
        const t = writeTimes.get(s);
        if (t !== undefined) latencies.push(f.at - t);
        pixels++;
      }
      if (pixels === writeTimes.size) complete++;
    }
    const lat = summarize(latencies);
    const totalBytes = reports.reduce((n, r) => n + r.totalBytes, 0);
    const framesPerClientSecond = (after.framesSent - idle.framesSent) / elapsed;
    return {
      clients: connected,
      'socket-server processes': serverCount,
      'px/s': round(writeTimes.size / elapsed, 0),
      'latency p50 ms': round(lat.p50, 1),
      'latency p99 ms': round(lat.p99, 1),
      'latency max ms': round(lat.max, 1),
      'frames/s delivered': round((after.delivered - idle.delivered) / elapsed, 0),
      'sampled clients with every pixel': `${complete}/${sampledClients}`,
      'frames/s per sampled client': round(sampledFrames / sampledClients / elapsed, 1),
      'average frame bytes': Math.round(BATCH_HEADER_BYTES + (PIXEL_RECORD_BYTES * writeTimes.size) / elapsed / framesPerClientSecond),
      'MB/s to clients': round(totalBytes / elapsed / 1e6, 1),
      'server RSS MB': round(after.rssBytes / 1e6, 0),
      'RSS KB/client (idle)': round((idle.rssBytes - before.rssBytes) / connected / 1024, 2),
      'loop delay p50/p99/max ms (worst server)': `${after.eventLoopDelayMs.p50}/${after.eventLoopDelayMs.p99}/${after.eventLoopDelayMs.max}`,
      'slow consumers closed': after.slowConsumersClosed,
    };
  } finally {
    for (const w of workers) w.send({ type: 'stop' });
    await Promise.all(servers.map((srv) => srv.stop()));
    await store.close();
    await redis.stop();
  }
}

async function wsCeiling(clients: number, bytes: number): Promise<number> {
  const port = await freePort();
  const server = fork(new URL('./ws-ceiling-server.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, PORT: String(port) }, stdio: 'inherit' });
  const workers = startWorkers(WORKERS);
  try {
    await waitForPort(port, 10_000);
    await connectClients(workers, [port], clients);
    const result = await ask<{ writesPerSecond: number }>(server, { type: 'blast', ms: 3000, bytes }, 'result');
    return Math.round(result.writesPerSecond);
  } finally {
    for (const w of workers) w.send({ type: 'stop' });
    server.kill();
  }
}

const print = (title: string, row: Record<string, unknown>) => {
  console.log(`\n${title}`);
  for (const [k, v] of Object.entries(row)) console.log(`  ${k.padEnd(34)} ${v}`);
};
const most = Math.max(...RUNS.map(([clients]) => clients));
const ceiling = await wsCeiling(most, 257);
print('raw ws ceiling of this machine', { [`writes/s (${most} clients, 257-byte frames)`]: ceiling });
for (const [clients, servers] of RUNS) {
  const row = await fanout(clients, RATE, SECONDS, servers);
  const matched = await wsCeiling(clients, row['average frame bytes']);
  print(`${clients} clients on ${servers} socket server(s), ${RATE} px/s for ${SECONDS} s`, {
    ...row,
    'frames/s / raw ws ceiling (257 B)': `${round((100 * row['frames/s delivered']) / ceiling, 0)} %`,
    [`raw ws ceiling (${row['average frame bytes']} B frames)`]: `${matched} writes/s`,
    'frames/s / raw ws ceiling (same size)': `${round((100 * row['frames/s delivered']) / matched, 0)} %`,
  });
}
if (IDLE_CLIENTS > 0) print(`${IDLE_CLIENTS} clients on one process, 100 px/s for 5 s`, await fanout(IDLE_CLIENTS, 100, 5));
