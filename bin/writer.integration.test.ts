// The writer service as the image ships it (the Dockerfile's bundle, `node writer.mjs`, alone in a
// folder) on real Redis and Cassandra, beside the runner that starts sessions and serves the board:
// writes answered as write-pixel answers them, concurrent writes sharing Redis script calls, a
// socket server placing its clients' pixels through it (WRITER_URLS), and a stop that answers
// what is in flight and loses nothing it acknowledged.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { freePort, tempDir } from '../test-support/test-services.ts';
import { buildImageDist } from '../test-support/image-build.ts';
import { colorAt } from '../core/domain/board-codec.ts';
import { ENTRY, startServiceProcess } from '../local/processes/node-process.ts';
import { nodeSync, waitUntil, type RecordingSync } from '../test-support/sync-clients.ts';

const SIZE = { BOARD_WIDTH: '64', BOARD_HEIGHT: '64' };

/** Write-script calls Redis has run so far (INFO commandstats). */
async function scriptCalls(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('the writer service (bin/writer.ts) bundled as in the image', () => {
  let f: ServiceFixture;
  let writer: ChildProcess;
  let writerUrl: string;
  let port: number;
  let redis: Redis;
  const exited = () => new Promise<number | null>((resolve) => {
    if (writer.exitCode !== null) resolve(writer.exitCode);
    else writer.once('exit', (code) => resolve(code));
  });

  beforeAll(async () => {
    f = await startServiceFixture('real', { env: SIZE });
    const out = tempDir('writer-image');
    await buildImageDist(out);
    port = await freePort();
    const c = f.config.cassandra!;
    writer = spawn(process.execPath, ['writer.mjs'], {
      cwd: out,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: tempDir('writer-data'), ...SIZE,
        REDIS_URL: f.redisUrl!, CASSANDRA_CONTACT_POINTS: '127.0.0.1', CASSANDRA_PORT: String(c.port), CASSANDRA_KEYSPACE: c.keyspace,
        // The runner's settings (test-support/service-fixture.ts): its sessions must be good here.
        SESSION_SECRET: 'test-secret', COOLDOWN_MS: '60000', SESSIONS_PER_IP_PER_HOUR: '1000000', PLACEMENTS_PER_IP: '1000000',
        POW_DIFFICULTY: '1000', POW_EVERY: '0', DEFENCE_MIN_PLACEMENTS: '1000000000', REDIS_WRITE_BATCH_MS: '5',
      },
    });
    writerUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${writerUrl}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (writer.exitCode !== null || i > 300) throw new Error(`the writer did not start (exit ${writer.exitCode})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    redis = new Redis(f.redisUrl!);
  }, 180_000);
  afterAll(async () => {
    writer?.kill('SIGKILL');
    redis?.disconnect();
    await f?.close();
  });

  /** Users with sessions from the runner, posting to the writer. */
  const users = async (n: number) => Promise.all(Array.from({ length: n }, async () => {
    const u = await new ApiClient(f.url).startSession();
    return Object.assign(new ApiClient(writerUrl), { token: u.token, userId: u.userId });
  }));

  it('places writes arriving a millisecond apart in shared Redis script calls, each acknowledged once, all on the board', async () => {
    const many = await users(24);
    const before = await scriptCalls(redis);
    // One write a millisecond, as from many browsers: each reaches the writer on its own, and the
    // ones within REDIS_WRITE_BATCH_MS of each other share a call (a function's call per write: 24).
    const answers = await Promise.all(many.map(async (u, i) => {
      await new Promise((r) => setTimeout(r, i));
      return u.place(i, 1, (i % 15) + 1);
    }));
    const calls = (await scriptCalls(redis)) - before;
    expect(answers.map((a) => a.status)).toEqual(many.map(() => 201));
    expect(new Set(answers.map((a) => a.body.seq as number)).size).toBe(24);
    expect(calls).toBeLessThanOrEqual(12);
    const board = await new ApiClient(f.url).board();
    for (let i = 0; i < 24; i++) expect(colorAt(board.bytes, 64 + i)).toBe((i % 15) + 1);
    // What the write path refuses, it refuses here as the function does; other routes are not here.
    const again = await many[0]!.place(5, 5, 3);
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ error: 'rate_limited', reason: 'cooldown' });
    expect((await fetch(`${writerUrl}/api/board`)).status).toBe(404);
  });

  it('takes a socket server\'s placements (WRITER_URLS): its clients\' pixels are placed by their own users and reach every client', async () => {
    const sockets = await startServiceProcess({
      ...SIZE, REDIS_URL: f.redisUrl!, WRITER_URLS: writerUrl, SESSION_SECRET: 'test-secret', COOLDOWN_MS: '60000',
    }, ENTRY.socketServer, 'ignore');
    const clients: RecordingSync[] = [];
    try {
      const [a, b] = await users(2);
      const socketUrls = [`ws://127.0.0.1:${sockets.port}/ws`];
      for (const u of [a!, b!]) clients.push(nodeSync({ apiUrl: f.url, socketUrls, token: u.token! }));
      await waitUntil('clients live', () => clients.every((c) => c.sync.status === 'live'), 30_000);
      expect(await clients[0]!.sync.place(30, 31, 9)).toMatchObject({ ok: true });
      expect(await clients[1]!.sync.place(32, 33, 11)).toMatchObject({ ok: true });
      // The writer's cooldown applies to the socket's placements too.
      expect(await clients[0]!.sync.place(34, 35, 2)).toMatchObject({ ok: false, error: 'rate_limited' });
      const seq = (await new ApiClient(f.url).board()).seq;
      await waitUntil('both clients at the board', () => clients.every((c) => c.sync.seq === seq), 15_000);
      for (const c of clients) expect([colorAt(c.sync.board!, 31 * 64 + 30), colorAt(c.sync.board!, 33 * 64 + 32), colorAt(c.sync.board!, 35 * 64 + 34)]).toEqual([9, 11, 0]);
      const who = await new ApiClient(f.url).request<{ userId: string }>('GET', '/api/pixels/32/33');
      expect(who.body.userId).toBe(b!.userId);
    } finally {
      for (const c of clients) c.sync.stop();
      await sockets.stop();
    }
  }, 60_000);

  it('on SIGTERM answers a write still arriving (closing its connection), refuses new connections, exits 0, and the pixel is on the board', async () => {
    const [u] = await users(1);
    const body = JSON.stringify({ x: 10, y: 20, color: 7 });
    // The headers and half the body now: the request is in flight when the stop comes.
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/pixels', headers: {
      'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${u!.token}`,
    } });
    const answered = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
      req.once('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => { text += d.toString(); });
        res.once('end', () => resolve({ status: res.statusCode!, body: text, connection: res.headers.connection }));
      });
      req.once('error', reject);
    });
    req.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 300));
    const exit = exited();
    writer.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const late = await fetch(`${writerUrl}/healthz`).then((r) => r.status, () => 'refused');
    expect(late).toBe('refused');
    req.end(body.slice(10));
    const answer = await answered;
    expect(answer.status).toBe(201);
    // Its kept-alive connection closes with the answer: a socket server's next request goes to another writer.
    expect(answer.connection).toBe('close');
    expect(await exit).toBe(0);
    const board = await new ApiClient(f.url).board();
    expect(colorAt(board.bytes, 20 * 64 + 10)).toBe(7);
    expect(board.seq).toBe((JSON.parse(answer.body) as { seq: number }).seq);
  }, 60_000);
});

