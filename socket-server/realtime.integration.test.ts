// Realtime on real Redis with two socket-server processes: every client ends with the true
// board and sees every seq exactly once, in order, however it caught up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { ENTRY, startServiceProcess, type ServiceProcess } from '../local/processes/node-process.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { nodeSync, sawEverySeqOnce, waitUntil, type RecordingSync } from '../test-support/sync-clients.ts';
import { startTcpProxy } from '../test-support/tcp-proxy.ts';

// A small replay ring (a few hundred pixels) so that falling far behind still sends a client to HTTP.
const ENV = { BOARD_WIDTH: '100', BOARD_HEIGHT: '100', COOLDOWN_MS: '0', UPDATES_KEPT: '100', SOCKET_TICK_MS: '20', SOCKET_ONLINE_MS: '500', SOCKET_REPLAY_MAX_BYTES: '1500' };

describe('realtime across two socket-server processes on real Redis', () => {
  let f: ServiceFixture;
  let servers: ServiceProcess[] = [];
  const clients: RecordingSync[] = [];
  let writers: ApiClient[] = [];
  const socketUrl = (i: number) => `ws://127.0.0.1:${servers[i % servers.length]!.port}/ws`;
  const client = (extra: Partial<Parameters<typeof nodeSync>[0]> = {}) => {
    const c = nodeSync({ apiUrl: f.url, socketUrls: [socketUrl(clients.length)], ...extra });
    clients.push(c);
    return c;
  };
  const live = (cs: RecordingSync[]) => waitUntil('clients live', () => cs.every((c) => c.sync.status === 'live'));
  /** Each writer places `each` pixels one after another; writers run side by side. */
  const write = (each: number) => Promise.all(writers.map(async (w, wi) => {
    for (let i = 0; i < each; i++) {
      const res = await w.place((wi * 13 + i) % 100, (i * 7) % 100, (wi + i) % 16);
      if (res.status !== 201) throw new Error(`write: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }));
  const converged = async (cs: RecordingSync[]) => {
    const truth = await new ApiClient(f.url).board();
    await waitUntil('clients at the live seq', () => cs.every((c) => c.sync.seq >= truth.seq));
    for (const c of cs) {
      expect(c.sync.seq).toBe(truth.seq);
      expect(Buffer.from(c.sync.board!).equals(Buffer.from(truth.bytes))).toBe(true);
    }
    return truth;
  };

  beforeAll(async () => {
    f = await startServiceFixture('real', { env: ENV });
    servers = await Promise.all([0, 1].map(() => startServiceProcess({ ...ENV, REDIS_URL: f.redisUrl!, LAMBDA_ENDPOINT: f.invokeUrl }, ENTRY.socketServer, 'ignore')));
    writers = await Promise.all(Array.from({ length: 5 }, () => new ApiClient(f.url).startSession()));
  });
  afterAll(async () => {
    for (const c of clients) c.sync.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await f?.close();
  });

  it('every client ends with the true board and saw every seq once, in order (HTTP and socket writes)', async () => {
    const cs = Array.from({ length: 12 }, () => client());
    await live(cs);
    const placers = await Promise.all([0, 1].map(async (i) => {
      const session = await new ApiClient(f.url).startSession();
      const c = client({ token: session.token!, socketUrls: [socketUrl(i)] });
      return c;
    }));
    await live(placers);
    await Promise.all([
      write(40),
      ...placers.map(async (p, pi) => {
        for (let i = 0; i < 10; i++) {
          const r = await p.sync.place(pi * 50 + i, 99, 3);
          expect(r).toMatchObject({ ok: true });
        }
      }),
    ]);
    const truth = await converged([...cs, ...placers]);
    for (const c of [...cs, ...placers]) expect(sawEverySeqOnce(c.seen, c.startSeq(), truth.seq)).toBe(true);
    expect(truth.seq - cs[0]!.startSeq()).toBe(5 * 40 + 2 * 10);
    expect(cs.every((c) => c.sync.stats.boardLoads === 1)).toBe(true);
  });

  it('a client that loads a stale (CDN) board converges by ?since= without a full refetch', async () => {
    const stale = await fetch(`${f.url}/api/board`);
    const staleBytes = new Uint8Array(await stale.arrayBuffer());
    const staleHeaders = new Headers(stale.headers);
    await write(6);
    let served = false;
    const c = client({
      fetch: async (input, init) => {
        if (!served && String(input).endsWith('/api/board')) {
          served = true;
          return new Response(staleBytes, { status: 200, headers: staleHeaders });
        }
        return fetch(input, init);
      },
    });
    await live([c]);
    await write(4);
    await converged([c]);
    expect(c.sync.stats.boardLoads).toBe(1);
    expect(c.sync.stats.repairs).toBeGreaterThan(0);
    expect(sawEverySeqOnce(c.seen, c.startSeq(), c.sync.seq)).toBe(true);
  });

  it('a client whose socket is cut mid-stream catches up (from the server\'s memory, or ?since=) and misses nothing', async () => {
    const proxy = await startTcpProxy(servers[0]!.port);
    const c = client({ socketUrls: [`ws://127.0.0.1:${proxy.port}/ws`] });
    await live([c]);
    const writing = write(20);
    await new Promise((r) => setTimeout(r, 150));
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 300));
    await proxy.restore();
    await writing;
    await converged([c]);
    expect(c.sync.stats.reconnects).toBeGreaterThan(0);
    expect(c.sync.stats.boardLoads).toBe(1);
    expect(sawEverySeqOnce(c.seen, c.startSeq(), c.sync.seq)).toBe(true);
    c.sync.stop();
    await proxy.close();
  });

  it('a client that falls behind the kept window and the server\'s memory catches up from the stored update segments, without refetching the board', async () => {
    const proxy = await startTcpProxy(servers[1]!.port);
    const c = client({ socketUrls: [`ws://127.0.0.1:${proxy.port}/ws`], reconnectBaseMs: 2000 });
    await live([c]);
    await proxy.cut();
    await write(80); // 400 updates: well past the 100 kept
    await proxy.restore();
    await converged([c]);
    expect(c.sync.stats.boardLoads).toBe(1);
    expect(sawEverySeqOnce(c.seen, c.startSeq(), c.sync.seq)).toBe(true);
    c.sync.stop();
    await proxy.close();
  });

  it('serves Prometheus metrics on /metrics: connections, frames and bytes sent, tick durations, repairs, resyncs, slow consumers, event-loop lag', async () => {
    const res = await fetch(`http://127.0.0.1:${servers[0]!.port}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const series of ['pixel_socket_connections', 'pixel_socket_frames_sent_total', 'pixel_socket_bytes_sent_total', 'pixel_socket_tick_duration_seconds_bucket',
      'pixel_socket_gap_repairs_total', 'pixel_socket_resyncs_total', 'pixel_socket_resets_total', 'pixel_socket_slow_consumers_closed_total', 'nodejs_eventloop_lag_seconds']) {
      expect(text).toMatch(new RegExp(`^${series}(\\{[^}]*\\})? \\d`, 'm'));
    }
    expect(Number(text.match(/^pixel_socket_frames_sent_total (\d+)/m)?.[1])).toBeGreaterThan(0);
  });

  it('reports the online count across both socket servers', async () => {
    const total = clients.filter((c) => c.sync.status === 'live').length;
    await waitUntil('online count', () => clients.every((c) => c.sync.status !== 'live' || c.sync.online === total), 10_000);
  });
});
