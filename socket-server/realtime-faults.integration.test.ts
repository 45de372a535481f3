// Faults in the realtime path: a socket server dies, Redis restarts empty.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { ENTRY, startServiceProcess, type ServiceProcess } from '../local/processes/node-process.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { nodeSync, waitUntil, type RecordingSync } from '../test-support/sync-clients.ts';

const ENV = { BOARD_WIDTH: '64', BOARD_HEIGHT: '64', COOLDOWN_MS: '0', SOCKET_TICK_MS: '20', SOCKET_ONLINE_MS: '500' };

describe('realtime faults on real Redis', () => {
  let f: ServiceFixture;
  let servers: ServiceProcess[] = [];
  const clients: RecordingSync[] = [];
  let writer: ApiClient;
  const urls = () => servers.map((s) => `ws://127.0.0.1:${s.port}/ws`);
  const write = async (n: number, tolerate503 = false) => {
    for (let i = 0; i < n; i++) {
      const res = await writer.place(i % 64, (i * 3) % 64, i % 16);
      if (res.status !== 201 && !(tolerate503 && res.status === 503)) throw new Error(`write: ${res.status}`);
    }
  };
  const converged = async () => {
    const truth = await new ApiClient(f.url).board();
    await waitUntil('clients converged', () => clients.every((c) => c.sync.seq === truth.seq
      && Buffer.from(c.sync.board!).equals(Buffer.from(truth.bytes))), 20_000);
  };

  beforeAll(async () => {
    f = await startServiceFixture('real', { env: ENV });
    const env = { ...ENV, REDIS_URL: f.redisUrl!, LAMBDA_ENDPOINT: f.invokeUrl };
    servers = await Promise.all([0, 1].map(() => startServiceProcess(env, ENTRY.socketServer, 'ignore')));
    writer = await new ApiClient(f.url).startSession();
    for (let i = 0; i < 8; i++) {
      const list = urls();
      // Each client starts on one server and fails over to the other.
      clients.push(nodeSync({ apiUrl: f.url, socketUrls: i % 2 ? list : [...list].reverse(), reconnectBaseMs: 100 }));
    }
    await waitUntil('clients live', () => clients.every((c) => c.sync.status === 'live'));
  });
  afterAll(async () => {
    for (const c of clients) c.sync.stop();
    await Promise.all(servers.map((s) => s.kill()));
    await f?.close();
  });

  it('Redis restarts empty: the board is rebuilt, socket servers resubscribe, clients detect the gap and converge', async () => {
    await write(20);
    await converged();
    await f.restartRedis();
    await write(20, true);
    await converged();
    const truth = await new ApiClient(f.url).board();
    expect(truth.seq).toBeGreaterThanOrEqual(20);
  });

  it('a socket server is killed: its clients reconnect to the other and converge', async () => {
    await servers[0]!.kill();
    await write(30);
    await converged();
    expect(clients.filter((c) => c.sync.stats.reconnects > 0).length).toBeGreaterThanOrEqual(4);
    expect(clients.every((c) => c.sync.status === 'live')).toBe(true);
  });
});
