// The socket server's side of a task stop on ECS: when the task metadata says the task is being
// stopped, the server asks its clients to reconnect (1012) spread over SOCKET_DRAIN_MS, while the
// load balancer still carries their sockets; they move to the other server without losing an
// update. In process, on embedded stores, with a stand-in for the metadata endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { attachSocketServer, type LocalSockets } from '../local/local-sockets.ts';
import { startLocalServer, type LocalServer } from '../local/local-server.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { nodeSync, sawEverySeqOnce, waitUntil, type RecordingSync } from '../test-support/sync-clients.ts';
import { startTaskMetadata, type TaskMetadataServer } from '../test-support/task-metadata.ts';
import { watchTaskStop } from './task-stop-watch.ts';
import type { SocketLike } from '../web/sync/board-sync.ts';
import { CLOSE } from '../core/protocol/messages.ts';

const CLIENTS = 200;
const DRAIN_MS = 4000;
const BINS = 10;

describe('drain when the task is being stopped', () => {
  let f: ServiceFixture;
  let stopping: LocalSockets;
  let otherHttp: LocalServer;
  let other: LocalSockets;
  let meta: TaskMetadataServer;
  const clients: RecordingSync[] = [];
  /** Per client: when (ms) and with which code its socket to the stopping server closed. */
  const closes = new Map<number, { at: number; code: number }>();

  beforeAll(async () => {
    f = await startServiceFixture('embedded', {
      env: { BOARD_WIDTH: '100', BOARD_HEIGHT: '100', COOLDOWN_MS: '0', SOCKET_TICK_MS: '20', SOCKET_DRAIN_MS: String(DRAIN_MS), SOCKET_CONNECTIONS_PER_IP: '1000' },
    });
    stopping = await attachSocketServer(f.services, f.server);
    otherHttp = await startLocalServer(f.services, { host: '127.0.0.1', port: 0 });
    other = await attachSocketServer(f.services, otherHttp);
    meta = await startTaskMetadata();
  });
  afterAll(async () => {
    for (const c of clients) c.sync.stop();
    await meta.close();
    await other.close();
    await otherHttp.close();
    await stopping.close();
    await f.close();
  });

  it('spreads the reconnects of 200 clients over the drain window; every client ends with the true board and saw every seq once', async () => {
    const urls = [f.url, otherHttp.url].map((u) => `${u.replace('http', 'ws')}/ws`);
    for (let i = 0; i < CLIENTS; i++) {
      const openSocket = (url: string) => {
        const ws = new WebSocket(url);
        if (url.startsWith(urls[0]!)) ws.once('close', (code) => { if (!closes.has(i)) closes.set(i, { at: performance.now(), code }); });
        return ws as unknown as SocketLike;
      };
      clients.push(nodeSync({ apiUrl: f.url, socketUrls: urls, openSocket, reconnectBaseMs: 100 }));
    }
    await waitUntil('every client live on the first server', () => clients.every((c) => c.sync.status === 'live') && stopping.server.connections === CLIENTS, 30_000);
    const watch = watchTaskStop({ metadataUrl: meta.url, everyMs: 50, onStopping: () => void stopping.server.drain() });

    // Pixels keep coming while the clients move.
    let writing = true;
    let placed = 0;
    const writer = (async () => {
      while (writing) {
        await f.services.store.place({ x: placed % 100, y: (placed * 7) % 100, color: placed % 16, userId: `w${placed}`, ip: 'writer', now: Date.now() });
        placed++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    expect(closes.size).toBe(0); // nothing happens while the task runs
    meta.desiredStatus = 'STOPPED';
    await waitUntil('every client moved to the other server',
      () => closes.size === CLIENTS && other.server.connections === CLIENTS && clients.every((c) => c.sync.status === 'live'), 4 * DRAIN_MS + 30_000);
    await new Promise((r) => setTimeout(r, 200));
    writing = false;
    await writer;
    watch.stop();

    // Every client was asked to reconnect (1012) rather than cut, and the asks were spread out:
    // no tenth of the span holds more than 30 % of them (all at once would put 100 % in one).
    expect([...closes.values()].every((c) => c.code === CLOSE.SERVICE_RESTART)).toBe(true);
    const times = [...closes.values()].map((c) => c.at);
    const first = Math.min(...times);
    const span = Math.max(...times) - first;
    // Timers never fire early, so the spread can only be wider than planned, never narrower.
    expect(span).toBeGreaterThanOrEqual(DRAIN_MS / 2);
    const bins = new Array<number>(BINS).fill(0);
    for (const t of times) bins[Math.min(BINS - 1, Math.floor(((t - first) / span) * BINS))]!++;
    expect(Math.max(...bins), `closes per tenth of the span: ${bins.join(' ')}`).toBeLessThanOrEqual(0.3 * CLIENTS);
    expect(bins.filter((b) => b > 0).length).toBeGreaterThanOrEqual(BINS - 2);

    const truth = await new ApiClient(f.url).board();
    expect(truth.seq).toBeGreaterThanOrEqual(placed);
    await waitUntil('clients at the live seq', () => clients.every((c) => c.sync.seq >= truth.seq));
    for (const c of clients) {
      expect(c.sync.seq).toBe(truth.seq);
      expect(Buffer.from(c.sync.board!).equals(Buffer.from(truth.bytes))).toBe(true);
      expect(sawEverySeqOnce(c.seen, c.startSeq(), truth.seq)).toBe(true);
    }
    expect(stopping.server.connections).toBe(0);
  });
});
