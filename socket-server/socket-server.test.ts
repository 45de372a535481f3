// The socket server's self-protection and bad-input handling, in process on embedded stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Socket } from 'node:net';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { attachSocketServer, type LocalSockets } from '../local/local-sockets.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { nodeSync, waitUntil } from '../test-support/sync-clients.ts';
import { createBoard } from '../core/domain/board-codec.ts';
import { CLOSE } from '../core/protocol/messages.ts';

interface TestSocket {
  ws: WebSocket;
  texts: Record<string, unknown>[];
  frames: number;
  closed: Promise<number>;
}

function connect(url: string): Promise<TestSocket> {
  const ws = new WebSocket(url);
  const t: TestSocket = { ws, texts: [], frames: 0, closed: new Promise((r) => ws.once('close', (code) => r(code))) };
  ws.on('message', (data, isBinary) => {
    if (isBinary) t.frames++;
    else t.texts.push(JSON.parse(data.toString()) as Record<string, unknown>);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(t));
    ws.once('error', reject);
  });
}

const reply = async (t: TestSocket, type: string) => {
  await waitUntil(`a ${type} message`, () => t.texts.some((m) => m.type === type), 5000);
  return t.texts.find((m) => m.type === type)!;
};

describe('socket server protection and bad input', () => {
  let f: ServiceFixture;
  let sockets: LocalSockets;
  let wsUrl: string;

  beforeEach(async () => {
    f = await startServiceFixture('embedded', {
      env: { COOLDOWN_MS: '0', SOCKET_TICK_MS: '5', SOCKET_MAX_BUFFERED_BYTES: '65536', SOCKET_DRAIN_MS: '300', SOCKET_CONNECTIONS_PER_IP: '20' },
    });
    sockets = await attachSocketServer(f.services, f.server);
    wsUrl = `${f.url.replace('http', 'ws')}/ws`;
  });
  afterEach(async () => {
    await sockets.close();
    await f.close();
  });

  it('greets a client with hello: seq, size, cooldown and online count', async () => {
    const t = await connect(wsUrl);
    expect(await reply(t, 'hello')).toMatchObject({ seq: 0, width: 1000, height: 1000, cooldownMs: 0, online: 1 });
    t.ws.close();
  });

  it('answers bad messages with errors and closes on binary or oversize data, changing nothing', async () => {
    const t = await connect(wsUrl);
    await reply(t, 'hello');
    t.ws.send('{not json');
    expect(await reply(t, 'error')).toMatchObject({ error: 'invalid_json', message: expect.any(String) });
    t.texts.length = 0;
    t.ws.send(JSON.stringify({ type: 'dance' }));
    expect(await reply(t, 'error')).toMatchObject({ error: 'unknown_type' });
    t.texts.length = 0;
    t.ws.send(JSON.stringify({ type: 'place', id: 1, x: 1, y: 1, color: 1 }));
    expect(await reply(t, 'error')).toMatchObject({ id: 1, error: 'unauthorized' });
    const binary = await connect(wsUrl);
    binary.ws.send(Buffer.from([1, 2, 3]));
    expect(await binary.closed).toBe(CLOSE.UNSUPPORTED_DATA);
    const big = await connect(wsUrl);
    big.ws.send('x'.repeat(4096));
    expect(await big.closed).toBe(1009);
    expect((await f.services.store.head())?.seq).toBe(0);
    const again = await connect(wsUrl);
    expect(await reply(again, 'hello')).toMatchObject({ type: 'hello' });
    t.ws.close();
    again.ws.close();
  });

  it('places a pixel for a client with a session, and reports invalid pixels with the HTTP error codes', async () => {
    const session = await new ApiClient(f.url).startSession();
    const t = await connect(`${wsUrl}?token=${session.token}`);
    await reply(t, 'hello');
    t.ws.send(JSON.stringify({ type: 'place', id: 'a', x: 1000, y: 0, color: 1 }));
    expect(await reply(t, 'error')).toMatchObject({ id: 'a', error: 'invalid_pixel' });
    t.ws.send(JSON.stringify({ type: 'place', id: 'b', x: 5, y: 6, color: 7 }));
    expect(await reply(t, 'placed')).toMatchObject({ id: 'b', seq: 1 });
    await waitUntil('the frame', () => t.frames > 0);
    t.ws.close();
  });

  it('closes a slow consumer instead of buffering for it, and keeps serving the others', async () => {
    const slow = await connect(wsUrl);
    const fast = await connect(wsUrl);
    await reply(slow, 'hello');
    (slow.ws as unknown as { _socket: Socket })._socket.pause(); // stops reading: the server's send buffer grows
    const slowClosed = slow.closed;
    // Past what the kernel buffers for a socket that is not read (a few MB), frames pile up in
    // the server's memory: that is where the cap must act.
    for (let round = 0; round < 60 && sockets.server.stats.slowConsumersClosed === 0; round++) {
      for (let i = 0; i < 50_000; i++) {
        await f.services.store.place({ x: i % 1000, y: round % 1000, color: i % 16, userId: `u${round}-${i}`, ip: 'load', now: Date.now() });
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(sockets.server.stats.slowConsumersClosed).toBe(1);
    expect(sockets.server.connections).toBe(1);
    (slow.ws as unknown as { _socket: Socket })._socket.resume();
    expect([CLOSE.SLOW_CONSUMER, 1006]).toContain(await slowClosed);
    await waitUntil('the fast client got frames', () => fast.frames > 0);
    fast.ws.close();
  });

  it('a client whose board was reset (seq went back) starts over from the new board', async () => {
    const client = nodeSync({ apiUrl: f.url, socketUrls: [wsUrl] });
    await waitUntil('live', () => client.sync.status === 'live');
    for (let i = 0; i < 5; i++) await f.services.store.place({ x: i, y: 0, color: 9, userId: `r${i}`, ip: 'i', now: Date.now() });
    await waitUntil('seq 5', () => client.sync.seq === 5);
    await f.services.store.restore({ board: createBoard(f.config.board), seq: 0, version: 0 }, [], Date.now());
    await waitUntil('the reset board', () => client.sync.seq === 0 && client.sync.board!.every((b) => b === 0));
    await f.services.store.place({ x: 7, y: 7, color: 3, userId: 'after', ip: 'i', now: Date.now() });
    await waitUntil('the first pixel of the new board', () => client.sync.seq === 1);
    expect(client.sync.stats.boardLoads).toBe(2);
    client.sync.stop();
  });

  it('a client whose board was restored at the same seq (a new epoch) reloads it instead of keeping stale pixels', async () => {
    const client = nodeSync({ apiUrl: f.url, socketUrls: [wsUrl] });
    await waitUntil('live', () => client.sync.status === 'live');
    for (let i = 0; i < 3; i++) await f.services.store.place({ x: i, y: 0, color: 9, userId: `e${i}`, ip: 'i', now: Date.now() });
    await waitUntil('seq 3', () => client.sync.seq === 3);
    const restored = createBoard(f.config.board).fill(0x55);
    const head = await f.services.store.restore({ board: restored, seq: 3, version: 0 }, [], Date.now());
    await waitUntil('the restored board', () => client.sync.epoch === head.epoch && Buffer.from(client.sync.board!).equals(Buffer.from(restored)));
    expect(client.sync.seq).toBe(3);
    expect(client.sync.stats.resets).toBe(1);
    client.sync.stop();
  });

  it('a reconnecting client gets what it missed from the server\'s memory, with no HTTP catch-up', async () => {
    const client = nodeSync({ apiUrl: f.url, socketUrls: [wsUrl], reconnectBaseMs: 50, reconnectSpreadMs: 0 });
    await waitUntil('live', () => client.sync.status === 'live');
    const place = async (n: number, y: number) => {
      for (let i = 0; i < n; i++) await f.services.store.place({ x: i, y, color: 5, userId: `m${y}-${i}`, ip: 'i', now: Date.now() });
    };
    await place(3, 1);
    await waitUntil('seq 3', () => client.sync.seq === 3);
    const repairs = client.sync.stats.repairs;
    // Cut the connection (as a network blip would), and place while the client is away.
    for (const c of sockets.server.clientsForTest()) c.terminate();
    await place(4, 2);
    await waitUntil('caught up', () => client.sync.seq === 7 && client.sync.status === 'live');
    expect(client.sync.stats.resumedFromMemory).toBe(1);
    expect(client.sync.stats.repairs).toBe(repairs); // no ?since= request
    expect(sockets.server.stats.resumedFromMemory).toBe(1);
    expect(Buffer.from(client.sync.board!).equals(Buffer.from((await f.services.store.snapshot())!.bytes))).toBe(true);
    client.sync.stop();
  });

  it('caps connections per IP', async () => {
    const open = await Promise.all(Array.from({ length: 20 }, () => connect(wsUrl)));
    await expect(connect(wsUrl)).rejects.toThrow(/429/);
    for (const t of open) t.ws.close();
  });

  it('drains on shutdown: refuses new clients and tells connected ones to reconnect elsewhere', async () => {
    const a = await connect(wsUrl);
    const b = await connect(wsUrl);
    const draining = sockets.drain();
    await expect(connect(wsUrl)).rejects.toThrow(/503/);
    expect(await a.closed).toBe(CLOSE.SERVICE_RESTART);
    expect(await b.closed).toBe(CLOSE.SERVICE_RESTART);
    await draining;
  });
});
