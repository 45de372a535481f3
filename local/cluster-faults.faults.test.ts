// The fault suite on the cluster topology with real stores: redis-server (AOF), Cassandra 2.1,
// the HTTP runner, two writers (which take the writes the runner forwards, as the ALB sends them
// to the writer tasks in AWS, and the placements the socket servers send them) and two socket
// servers as separate processes, under steady writes (over HTTP and over sockets) and with live
// socket clients. Each process is killed with SIGKILL in turn (and a rebuild runs under load);
// then every acknowledged write is audited. Loopback only; it ends by itself.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis, type RedisProcess } from './processes/redis-process.ts';
import { localCassandraConfig, startCassandra, type CassandraProcess } from './processes/cassandra-process.ts';
import { ENTRY, startServiceProcess, type ServiceProcess } from './processes/node-process.ts';
import { freePort, tempDir } from '../test-support/test-services.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { nodeSync, waitUntil, type RecordingSync } from '../test-support/sync-clients.ts';
import { httpWriter, outage, socketWriter, WriteLoad, type OutageReport } from '../test-support/write-load.ts';
import { writerAddressRule } from './writer-forward.ts';
import { migrate } from '../core/pixel-log/migrate.ts';
import { CassandraPixelLog } from '../core/pixel-log/cassandra-pixel-log.ts';
import { colorAt, createBoard, pixelIndex, setColorAt } from '../core/domain/board-codec.ts';
import { redisKeys } from '../core/board-store/redis-keys.ts';

const run = promisify(execFile);
const SIZE = { width: 64, height: 64 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults on the cluster topology: kill -9 of every process and a rebuild under load lose no acknowledged write', () => {
  const dir = tempDir('faults');
  let redis: RedisProcess;
  let cassandra: CassandraProcess;
  let runner: ServiceProcess;
  const sockets: ServiceProcess[] = [];
  const writers: ServiceProcess[] = [];
  const clients: RecordingSync[] = [];
  /** The page's writes (HTTP), and placements over two clients' sockets. */
  let load: WriteLoad;
  let socketLoad: WriteLoad;
  const acked = () => [...load.acked, ...socketLoad.acked];
  let env: Record<string, string>;
  let redisPort: number;
  let cql: { port: number; storage: number };
  const reports: (OutageReport & { socketWritesOutageMs: number; socketWritesFailed: number; socketClientsOfflineMaxMs: number })[] = [];
  /** Spells in which a socket client was not live: from leaving 'live' to being live again. */
  const offline: { start: number; end: number }[] = [];
  const api = () => `http://127.0.0.1:${runner.port}`;

  const logs = { runner: path.join(dir, 'runner.log'), sockets: path.join(dir, 'sockets.log'), writers: path.join(dir, 'writers.log') };
  const startRunner = (port?: number) => startServiceProcess(
    { ...env, ...(port ? { PORT: String(port) } : {}), WRITER_URLS: writers.map((w) => `http://127.0.0.1:${w.port}`).join(',') }, ENTRY.runner, { logFile: logs.runner });
  const startWriter = (port?: number) => startServiceProcess(
    { ...env, ...writerAddressRule({ source: 'x-forwarded-for', trustedProxyHops: 0 }), ...(port ? { PORT: String(port) } : {}) }, ENTRY.writer, { logFile: logs.writers });
  const startSocket = (port?: number) => startServiceProcess(
    { ...env, ...(port ? { PORT: String(port) } : {}), WRITER_URLS: writers.map((w) => `http://127.0.0.1:${w.port}`).join(',') }, ENTRY.socketServer, { logFile: logs.sockets });
  /** The last lines each process logged, for a failure to show what happened. */
  const tails = () => Object.entries(logs).map(([name, file]) => {
    const lines = existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n') : [];
    return `--- ${name} (${file}), last 40 of ${lines.length} lines ---\n${lines.slice(-40).join('\n')}`;
  }).join('\n');
  const startCql = () => startCassandra({ dataDir: path.join(dir, 'cassandra'), cqlPort: cql.port, storagePort: cql.storage, heapMb: 768 });
  const startRedisHere = () => startRedis({ port: redisPort, dataDir: path.join(dir, 'redis'), appendOnly: true });

  /** Runs a fault while writes go on; records what clients saw until writes succeed again. */
  async function fault(name: string, act: () => Promise<void>): Promise<void> {
    const from = Date.now();
    try {
      await act();
      await sleep(500);
      await waitUntil(`writes succeed again after: ${name}`, () => outage(name, load.attempts, from).outageMs >= 0 && outage(name, socketLoad.attempts, from).outageMs >= 0, 120_000);
      await waitUntil(`socket clients live again after: ${name}`, () => clients.every((c) => c.sync.status === 'live'), 60_000);
    } catch (err) {
      const recent = load.attempts.filter((a) => a.start >= from);
      const statuses = recent.reduce<Record<string, number>>((m, a) => ({ ...m, [String(a.status)]: (m[String(a.status)] ?? 0) + 1 }), {});
      throw new Error(`${(err as Error).message}\nattempts since the fault: ${JSON.stringify(statuses)}, outage so far: ${JSON.stringify(outage(name, load.attempts, from))}, over sockets: ${JSON.stringify(outage(name, socketLoad.attempts, from))}, writers failed: ${[...load.failures, ...socketLoad.failures].join('; ')}\n${tails()}`, { cause: err });
    }
    const spells = offline.filter((o) => o.start >= from).map((o) => o.end - o.start);
    const overSockets = outage(name, socketLoad.attempts, from);
    reports.push({
      ...outage(name, load.attempts, from), socketWritesOutageMs: overSockets.outageMs,
      socketWritesFailed: overSockets.fast503s + overSockets.badGateway + overSockets.noAnswer, socketClientsOfflineMaxMs: Math.max(0, ...spells),
    });
    await sleep(2000);
  }

  beforeAll(async () => {
    redisPort = await freePort();
    cql = { port: await freePort(), storage: await freePort() };
    [redis, cassandra] = await Promise.all([startRedisHere(), startCql()]);
    await migrate(localCassandraConfig(cql.port, 'faults'));
    env = {
      REDIS_URL: redis.url, CASSANDRA_CONTACT_POINTS: '127.0.0.1', CASSANDRA_PORT: String(cql.port), CASSANDRA_KEYSPACE: 'faults',
      BOARD_WIDTH: String(SIZE.width), BOARD_HEIGHT: String(SIZE.height), COOLDOWN_MS: '0', SESSION_SECRET: 'faults',
      SESSIONS_PER_IP_PER_HOUR: '1000000', PLACEMENTS_PER_IP: '1000000', ORPHAN_AFTER_MS: '1000', SOCKET_TICK_MS: '20',
      DATA_DIR: dir,
      // The load's writers solve the challenge that starts a session only, and a load is not an attack.
      POW_DIFFICULTY: '1000', POW_EVERY: '0', DEFENCE_MIN_PLACEMENTS: '1000000000',
    };
    writers.push(await startWriter(), await startWriter());
    runner = await startRunner();
    sockets.push(await startSocket(), await startSocket());
    const urls = sockets.map((s) => `ws://127.0.0.1:${s.port}/ws`);
    for (let i = 0; i < 4; i++) {
      const c = nodeSync({ apiUrl: api(), socketUrls: i % 2 ? urls : [...urls].reverse(), reconnectBaseMs: 200 });
      let since: number | null = null;
      c.sync.on('status', (status) => {
        if (status !== 'live') since ??= Date.now();
        else if (since !== null) {
          offline.push({ start: since, end: Date.now() });
          since = null;
        }
      });
      clients.push(c);
    }
    const users = await Promise.all(Array.from({ length: 16 }, () => new ApiClient(api()).startSession()));
    // Two more place over their sockets: the socket servers send those to the writers.
    const placers = await Promise.all([0, 1].map(async (i) => {
      const u = await new ApiClient(api()).startSession();
      const c = nodeSync({ apiUrl: api(), socketUrls: i % 2 ? urls : [...urls].reverse(), reconnectBaseMs: 200, token: u.token! });
      clients.push(c);
      return socketWriter(c.sync, u.userId!);
    }));
    await waitUntil('placing clients live', () => clients.every((c) => c.sync.status === 'live'), 30_000);
    const options = { perWriterPerSecond: 10, ...SIZE, attemptTimeoutMs: 5000, giveUpAfterMs: 60_000 };
    load = new WriteLoad(users.map(httpWriter), options);
    socketLoad = new WriteLoad(placers, options);
    load.start();
    socketLoad.start();
    await waitUntil('clients live', () => clients.every((c) => c.sync.status === 'live'), 30_000);
    await sleep(3000);
  }, 240_000);

  afterAll(async () => {
    await load?.stop();
    await socketLoad?.stop();
    for (const c of clients) c.sync.stop();
    await Promise.all([runner, ...sockets, ...writers].filter(Boolean).map((p) => p.stop()));
    await cassandra?.stop();
    await redis?.stop();
  });

  it('survives kill -9 of Redis, Cassandra, a socket server, a writer and the runner, and a rebuild under load', async () => {
    await fault('kill -9 Redis (restarted from its AOF 1 s later)', async () => {
      await redis.kill();
      await sleep(1000);
      redis = await startRedisHere();
    });
    await fault('kill -9 Cassandra (restarted from its commit log)', async () => {
      await cassandra.kill();
      await sleep(1000);
      cassandra = await startCql();
    });
    await fault('kill -9 a socket server (restarted 1 s later)', async () => {
      const port = sockets[0]!.port;
      await sockets[0]!.kill();
      await sleep(1000);
      sockets[0] = await startSocket(port);
    });
    await fault('kill -9 a writer (restarted 1 s later)', async () => {
      const port = writers[0]!.port;
      await writers[0]!.kill();
      await sleep(1000);
      writers[0] = await startWriter(port);
    });
    await fault('kill -9 the HTTP runner (restarted at once)', async () => {
      const port = runner.port;
      await runner.kill();
      runner = await startRunner(port);
    });
    await fault('npm run rebuild under load', async () => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', ENTRY.rebuild], { env: { ...process.env, ...env } });
      expect(stdout).toMatch(/board restored: \d+ pixels, seq \d+/);
    });
    await load.stop();
    await socketLoad.stop();
    expect([...load.failures, ...socketLoad.failures]).toEqual([]);
    // The writers placed the pixels, not the runner (which only forwards): their metrics count
    // placements (EMF lines in their log), the runner's count none.
    expect(readFileSync(logs.writers, 'utf8')).toMatch(/"Placements":\s*\[?[1-9]/);
    expect(await (await fetch(`${api()}/metrics`)).text()).not.toMatch(/^pixel_placements_total/m);

    const out = path.resolve('test-results', 'faults');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'report.json'), JSON.stringify({
      reports, acked: load.acked.length, attempts: load.attempts.length, abandoned: load.abandoned,
      socketAcked: socketLoad.acked.length, socketAttempts: socketLoad.attempts.length, socketAbandoned: socketLoad.abandoned,
    }, null, 2));
    console.table(reports);
    expect(reports).toHaveLength(6);
    expect(load.acked.length).toBeGreaterThan(1000);
    expect(socketLoad.acked.length).toBeGreaterThan(100);
  }, 600_000);

  it('audit: every acknowledged write is persisted, no seq was acknowledged twice, the live board equals persistence, every client equals the board', async () => {
    await load.stop(); // already stopped, unless the faults above failed
    await socketLoad.stop();
    // Writes a writer applied but could not persist (it was killed, or Cassandra was) are
    // drained by a later write once they are older than ORPHAN_AFTER_MS.
    const raw = new Redis(redis.url);
    const nudge = await new ApiClient(api()).startSession();
    for (let i = 0; i < 60 && (await raw.zcard(redisKeys('place').pending)) > 0; i++) {
      await sleep(1000);
      await nudge.place(0, 0, i % 16);
    }
    expect(await raw.zcard(redisKeys('place').pending)).toBe(0);
    raw.disconnect();

    const seqs = new Map<number, string>();
    for (const w of acked()) {
      expect(seqs.get(w.seq) ?? w.key, `seq ${w.seq} acknowledged for two writes`).toBe(w.key);
      seqs.set(w.seq, w.key);
    }

    const log = await CassandraPixelLog.connect(localCassandraConfig(cql.port, 'faults'));
    try {
      const byPixel = new Map<string, typeof load.acked>();
      for (const w of acked()) byPixel.set(`${w.x},${w.y}`, [...(byPixel.get(`${w.x},${w.y}`) ?? []), w]);
      const missing: string[] = [];
      for (const writes of byPixel.values()) {
        const history = await log.history(writes[0]!.x, writes[0]!.y, 100_000);
        const persisted = new Map(history.map((p) => [p.seq, p]));
        for (const w of writes) {
          const p = persisted.get(w.seq);
          if (!p || p.color !== w.color || p.userId !== w.userId) missing.push(`${w.seq}@${w.x},${w.y}`);
        }
      }
      expect(missing, 'acknowledged writes missing from pixel_history').toEqual([]);

      const persistedBoard = createBoard(SIZE);
      let maxSeq = 0;
      await log.replay(0, Number.POSITIVE_INFINITY, (p) => {
        setColorAt(persistedBoard, pixelIndex(SIZE, p.x, p.y), p.color);
        maxSeq = Math.max(maxSeq, p.seq);
      });
      // The board may come from a published copy up to BOARD_PUBLISH_MS behind: wait for the newest.
      let truth = await new ApiClient(api()).board();
      await expect.poll(async () => (truth = await new ApiClient(api()).board()).seq, { timeout: 15_000 }).toBe(maxSeq);
      expect(Math.max(...acked().map((w) => w.seq))).toBeLessThanOrEqual(truth.seq);
      const differing: number[] = [];
      for (let i = 0; i < SIZE.width * SIZE.height; i++) if (colorAt(truth.bytes, i) !== colorAt(persistedBoard, i)) differing.push(i);
      expect(differing, 'pixels where the live board differs from persistence').toEqual([]);

      await waitUntil('every client at the live board', () => clients.every((c) => c.sync.seq === truth.seq
        && Buffer.from(c.sync.board!).equals(Buffer.from(truth.bytes))), 60_000);
    } finally {
      await log.close();
    }
  }, 300_000);
});
