// Hostile input against `npm start` (API, page and sockets in one process) and a standalone
// socket server: seeded (FUZZ_SEED), bounded, loopback only. Nothing may crash a process,
// answer 5xx, or change the board.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import fc from 'fast-check';
import { ENTRY, startServiceProcess, type ServiceProcess } from './processes/node-process.ts';
import { freePort, startTestRedis, tempDir } from '../test-support/test-services.ts';
import type { RedisProcess } from './processes/redis-process.ts';
import { ApiClient } from '../test-support/api-client.ts';
import {
  FUZZ_SEED, HOSTILE_TARGETS, httpRequest, pool, rawWebSocket, sample, sendRaw, upgradeRequest, wireRequest, wsFrame, wsFrames,
} from '../test-support/fuzz-inputs.ts';

const alive = (p: ServiceProcess) => p.child.exitCode === null && p.child.signalCode === null;

/** Statuses seen, by status (null = no answer). */
function tally(statuses: (number | null)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[String(s)] = (out[String(s)] ?? 0) + 1;
  return out;
}

function helloFrom(url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('message', (data) => { resolve(JSON.parse(data.toString()) as Record<string, unknown>); ws.close(); });
    ws.once('error', reject);
  });
}

/** Upgrade attempts: hostile targets, bad keys, resets before and after the handshake, random frames. */
async function fuzzSockets(port: number, salt: number): Promise<(number | null)[]> {
  const statuses: (number | null)[] = [];
  const targets = [...HOSTILE_TARGETS, ...sample(fc.string({ maxLength: 20 }).map((s) => `/${encodeURI(s)}`), 60, salt)];
  await pool(targets, 16, async (target) => {
    statuses.push(await rawWebSocket(port, upgradeRequest(target), [], false));
    statuses.push(await rawWebSocket(port, upgradeRequest(target), [], true));
    statuses.push(await sendRaw(port, upgradeRequest(target), { reset: true }));
  });
  const sessions = sample(fc.record({ frames: wsFrames, reset: fc.boolean(), validKey: fc.boolean(), token: fc.string({ maxLength: 30 }) }), 400, salt + 1);
  await pool(sessions, 16, async (s) => {
    const frames = s.frames.map((f) => wsFrame(f.opcode, f.payload, f));
    statuses.push(await rawWebSocket(port, upgradeRequest(`/ws?token=${encodeURIComponent(s.token)}`, [], s.validKey), frames, s.reset));
  });
  return statuses;
}

describe(`fuzz (seed ${FUZZ_SEED}): npm start survives hostile HTTP and WebSocket input`, () => {
  let service: ServiceProcess;
  let invokePort: number;
  let url: string;
  let before: { bytes: Uint8Array; seq: number };

  beforeAll(async () => {
    invokePort = await freePort();
    service = await startServiceProcess({
      DATA_DIR: tempDir('fuzz'), SESSION_SECRET: 'fuzz', SESSIONS_PER_IP_PER_HOUR: '1000000', BOARD_WIDTH: '64', BOARD_HEIGHT: '64',
      LAMBDA_INVOKE_PORT: String(invokePort), SOCKET_CONNECTIONS_PER_IP: '40',
    }, ENTRY.runner, 'ignore');
    url = `http://127.0.0.1:${service.port}`;
    const writer = await new ApiClient(url).startSession();
    for (let i = 0; i < 5; i++) {
      expect((await writer.place(i, i, i + 1)).status).toBe(201);
      await writer.startSession();
    }
    // The board may come from a published copy up to BOARD_PUBLISH_MS behind: wait for the one with all five.
    for (const deadline = Date.now() + 15_000; (before = await writer.board()).seq !== 5 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 100));
    expect(before.seq).toBe(5);
  });
  afterAll(async () => service?.stop());

  it('answers 3,000 generated HTTP requests (odd targets, bodies, headers, resets) without a 5xx or a crash', async () => {
    const requests = sample(httpRequest, 3000, 1);
    const statuses: (number | null)[] = [];
    let unanswered = 0;
    await pool(requests, 24, async (r) => {
      const status = await sendRaw(service.port, wireRequest(r, `127.0.0.1:${service.port}`), { reset: r.reset });
      if (status === null && !r.reset) unanswered++;
      statuses.push(status);
    });
    for (const target of HOSTILE_TARGETS) statuses.push(await sendRaw(service.port, wireRequest({ method: 'GET', target, headers: [], body: '', reset: false }, '127.0.0.1')));
    expect(alive(service)).toBe(true);
    const seen = tally(statuses);
    expect(Object.keys(seen).filter((s) => Number(s) >= 500), JSON.stringify(seen)).toEqual([]);
    expect(unanswered).toBe(0); // every request not cut off by its own reset got an answer
  });

  it('answers the hostile request-targets from the probe with 400 or 404, not 500', async () => {
    for (const target of ['//[', 'http://[', '//%zz', '//[::1', '//a%00b/ws']) {
      const status = await sendRaw(service.port, wireRequest({ method: 'GET', target, headers: [], body: '', reset: false }, '127.0.0.1'));
      expect({ target, status }).toEqual({ target, status: expect.toSatisfy((s: number) => s === 400 || s === 404) });
    }
  });

  it('answers generated Lambda Invoke calls (odd names, hostile events) without a 5xx or a crash', async () => {
    const calls = sample(fc.record({
      name: fc.oneof(fc.constantFrom('write-pixel', 'get-me', 'get-updates', 'create-session', '%E0%A4%A', '%zz', 'a:b:c', '__proto__', 'constructor'), fc.string({ maxLength: 20 }).map(encodeURIComponent)),
      event: fc.oneof(fc.json({ maxDepth: 3 }), fc.record({ httpMethod: fc.anything(), path: fc.anything(), headers: fc.anything(), body: fc.anything(), queryStringParameters: fc.anything() }).map((v) => { try { return JSON.stringify(v); } catch { return '{}'; } })),
    }), 500, 2);
    const statuses: (number | null)[] = [];
    await pool(calls, 16, async (c) => {
      const res = await fetch(`http://127.0.0.1:${invokePort}/2015-03-31/functions/${c.name}/invocations`, { method: 'POST', body: c.event });
      statuses.push(res.status);
      if (res.status === 200) {
        const result = (await res.json()) as { statusCode: number };
        statuses.push(result.statusCode);
      } else await res.arrayBuffer();
    });
    expect(alive(service)).toBe(true);
    const seen = tally(statuses);
    expect(Object.keys(seen).filter((s) => Number(s) >= 500), JSON.stringify(seen)).toEqual([]);
  });

  it('survives WebSocket upgrades with hostile targets, resets and broken frames, and still greets a new client', async () => {
    const statuses = await fuzzSockets(service.port, 10);
    expect(alive(service)).toBe(true);
    const seen = tally(statuses);
    expect(Object.keys(seen).filter((s) => Number(s) >= 500), JSON.stringify(seen)).toEqual([]);
    expect(seen['101']).toBeGreaterThan(100);
    expect(await helloFrom(`ws://127.0.0.1:${service.port}/ws`)).toMatchObject({ type: 'hello', seq: before.seq });
  });

  it('changed nothing: the board and seq are as they were before the fuzz', async () => {
    const after = await new ApiClient(url).board();
    expect(after.seq).toBe(before.seq);
    expect(Buffer.from(after.bytes).equals(Buffer.from(before.bytes))).toBe(true);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});

describe(`fuzz (seed ${FUZZ_SEED}): a standalone socket server survives hostile upgrades and frames`, () => {
  let redis: RedisProcess;
  let server: ServiceProcess;

  beforeAll(async () => {
    redis = await startTestRedis();
    server = await startServiceProcess({
      REDIS_URL: redis.url, LAMBDA_ENDPOINT: `http://127.0.0.1:${await freePort()}`, SOCKET_CONNECTIONS_PER_IP: '40',
    }, ENTRY.socketServer, 'ignore');
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  });

  it('refuses or serves every upgrade, never crashes, never answers 5xx, and keeps serving', async () => {
    const statuses = await fuzzSockets(server.port, 20);
    const plain = sample(httpRequest, 300, 21);
    await pool(plain, 16, async (r) => { statuses.push(await sendRaw(server.port, wireRequest(r, '127.0.0.1'), { reset: r.reset })); });
    expect(alive(server)).toBe(true);
    const seen = tally(statuses);
    expect(Object.keys(seen).filter((s) => Number(s) >= 500), JSON.stringify(seen)).toEqual([]);
    expect(await helloFrom(`ws://127.0.0.1:${server.port}/ws`)).toMatchObject({ type: 'hello' });
  });
});
