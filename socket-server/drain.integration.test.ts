// The stop sequence of a standalone socket server (bin/socket-server.ts) on real Redis: it drains
// when the task metadata endpoint says the task is being stopped, long before SIGTERM; its clients
// move to the other server without losing an update; the SIGTERM that follows finds nothing left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { ENTRY, startServiceProcess, type ServiceProcess } from '../local/processes/node-process.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { nodeSync, sawEverySeqOnce, waitUntil, type RecordingSync } from '../test-support/sync-clients.ts';
import { startTaskMetadata, type TaskMetadataServer } from '../test-support/task-metadata.ts';

const ENV = { BOARD_WIDTH: '100', BOARD_HEIGHT: '100', COOLDOWN_MS: '0', SOCKET_TICK_MS: '20', SOCKET_ONLINE_MS: '500', SOCKET_DRAIN_MS: '2000' };

describe('a socket server whose ECS task is being stopped', () => {
  let f: ServiceFixture;
  let meta: TaskMetadataServer;
  let stopping: ServiceProcess;
  let other: ServiceProcess;
  const clients: RecordingSync[] = [];

  beforeAll(async () => {
    f = await startServiceFixture('real', { env: ENV });
    meta = await startTaskMetadata();
    const common = { ...ENV, REDIS_URL: f.redisUrl!, LAMBDA_ENDPOINT: f.invokeUrl };
    [stopping, other] = await Promise.all([
      startServiceProcess({ ...common, ECS_CONTAINER_METADATA_URI_V4: meta.url, SOCKET_STOP_POLL_MS: '100' }, ENTRY.socketServer, 'ignore'),
      startServiceProcess(common, ENTRY.socketServer, 'ignore'),
    ]);
  });
  afterAll(async () => {
    for (const c of clients) c.sync.stop();
    await other?.stop();
    await stopping?.stop();
    await meta?.close();
    await f?.close();
  });

  it('moves its clients to the other server before SIGTERM, none missing an update', async () => {
    const urls = [stopping, other].map((s) => `ws://127.0.0.1:${s.port}/ws`);
    for (let i = 0; i < 30; i++) clients.push(nodeSync({ apiUrl: f.url, socketUrls: urls, reconnectBaseMs: 100 }));
    await waitUntil('clients live', () => clients.every((c) => c.sync.status === 'live'));
    const writer = await new ApiClient(f.url).startSession();
    let writing = true;
    let placed = 0;
    const writes = (async () => {
      while (writing) {
        const res = await writer.place(placed % 100, 0, placed % 16);
        if (res.status !== 201) throw new Error(`write: ${res.status}`);
        placed++;
      }
    })();

    meta.desiredStatus = 'STOPPED';
    await waitUntil('every client reconnected once', () => clients.every((c) => c.sync.stats.reconnects === 1 && c.sync.status === 'live'), 30_000);
    expect(stopping.child.exitCode).toBeNull(); // drained without a signal: the process is still up
    writing = false;
    await writes;

    const truth = await new ApiClient(f.url).board();
    expect(placed).toBeGreaterThan(0);
    await waitUntil('clients at the live seq', () => clients.every((c) => c.sync.seq >= truth.seq));
    for (const c of clients) {
      expect(c.sync.seq).toBe(truth.seq);
      expect(Buffer.from(c.sync.board!).equals(Buffer.from(truth.bytes))).toBe(true);
      expect(sawEverySeqOnce(c.seen, c.startSeq(), truth.seq)).toBe(true);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${stopping.port}/metrics`)).text();
    expect(Number(/^pixel_socket_connections (\d+)/m.exec(metrics)?.[1])).toBe(0);

    // SIGTERM finds the drain done: the process exits on its own (stop() would SIGKILL after 10 s otherwise).
    const exited = new Promise<number | null>((resolve) => stopping.child.once('exit', (code) => resolve(code)));
    stopping.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
