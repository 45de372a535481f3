// The orchestrator, with a fake socket, a fake API behind `fetch` and fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BoardSync } from './board-sync.ts';
import { fakeSockets } from '../../test-support/fake-socket.ts';
import { colorAt, createBoard, pixelIndex, setColorAt } from '../../core/domain/board-codec.ts';
import { encodePixelBatch, type PixelUpdate } from '../../core/protocol/pixel-batch.ts';
import { encodeServerMessage, PROTOCOL_VERSION } from '../../core/protocol/messages.ts';

const size = { width: 8, height: 4 };

/** The server side of the HTTP API, as far as a sync client uses it. */
class FakeApi {
  board = createBoard(size);
  seq = 0;
  epoch = 1;
  updates: PixelUpdate[] = [];
  /** What GET /api/board serves (a CDN may serve an older copy). */
  served: { bytes: Uint8Array; seq: number; epoch: number } | null = null;
  readonly requests: string[] = [];
  /** Seqs per update segment; the open segment is served as a cache a moment old would (missing its newest update). */
  segment = 2;

  place(x: number, y: number, color: number): PixelUpdate {
    const u = { seq: ++this.seq, x, y, color };
    setColorAt(this.board, pixelIndex(size, x, y), color);
    this.updates.push(u);
    return u;
  }

  fetch = async (url: string | URL | Request): Promise<Response> => {
    const u = new URL(String(url), 'http://api');
    this.requests.push(`${u.pathname}${u.search}`);
    if (u.pathname === '/api/board') {
      const b = this.served ?? { bytes: this.board, seq: this.seq, epoch: this.epoch };
      return new Response(new Uint8Array(b.bytes), {
        headers: { 'x-board-seq': String(b.seq), 'x-board-epoch': String(b.epoch), 'x-board-width': '8', 'x-board-height': '4', etag: `"${b.epoch}-${b.seq}"` },
      });
    }
    const seg = u.pathname.match(/^\/api\/updates\/(\d+)\/(\d+)$/);
    if (seg) {
      if (Number(seg[1]) !== this.epoch) return new Response('{}', { status: 410 });
      const first = Number(seg[2]) * this.segment + 1;
      const last = first + this.segment - 1;
      const upTo = this.seq >= last ? last : this.seq - 1;
      return new Response(new Uint8Array(encodePixelBatch(this.updates.filter((p) => p.seq >= first && p.seq <= upTo), first)));
    }
    const since = Number(u.searchParams.get('since'));
    const first = this.updates[0]?.seq ?? this.seq + 1;
    const gone = since < this.seq && first > since + 1; // the updates right after `since` are no longer kept
    if (Number(u.searchParams.get('epoch')) !== this.epoch || since > this.seq || gone) return new Response('{}', { status: 410 });
    const run = this.updates.filter((p) => p.seq > since);
    return new Response(new Uint8Array(encodePixelBatch(run, since + 1)), { headers: { 'x-board-seq': String(this.seq) } });
  };
}

const hello = (api: FakeApi) => encodeServerMessage({ type: 'hello', protocol: PROTOCOL_VERSION, seq: api.seq, epoch: api.epoch, ...size, cooldownMs: 1000, online: 1 });

describe('board sync', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const settle = () => vi.advanceTimersByTimeAsync(5);

  async function live(api = new FakeApi()) {
    const sockets = fakeSockets();
    const sync = new BoardSync({ apiUrl: '', socketUrls: ['ws://s/ws'], openSocket: sockets.open, fetch: api.fetch as typeof fetch, checkIntervalMs: 0, reconnectBaseMs: 100, reconnectSpreadMs: 0 });
    const pixels: number[] = [];
    sync.on('pixel', (seq) => pixels.push(seq));
    sync.start();
    sockets.last().accept();
    sockets.last().receive(hello(api));
    await settle();
    return { api, sockets, sync, pixels };
  }

  it('on hello loads the board, goes live, and applies frames in order', async () => {
    const api = new FakeApi();
    api.place(1, 1, 5);
    const { sync, sockets, pixels } = await live(api);
    expect(sync.status).toBe('live');
    expect(sync.seq).toBe(1);
    const a = api.place(2, 2, 6);
    const b = api.place(3, 3, 7);
    sockets.last().receive(encodePixelBatch([b]));
    sockets.last().receive(encodePixelBatch([a]));
    await settle();
    expect(pixels).toEqual([2, 3]);
    expect(Buffer.from(sync.board!).equals(Buffer.from(api.board))).toBe(true);
  });

  it('with loadBoardAtStart fetches the board before the hello, then repairs only what was placed in between', async () => {
    const api = new FakeApi();
    api.place(1, 1, 5);
    const sockets = fakeSockets();
    const sync = new BoardSync({ apiUrl: '', socketUrls: ['ws://s/ws'], openSocket: sockets.open, fetch: api.fetch as typeof fetch, checkIntervalMs: 0, loadBoardAtStart: true });
    sync.start();
    await settle();
    expect(api.requests).toEqual(['/api/board']);
    expect(sync.seq).toBe(1);
    expect(sync.status).toBe('connecting'); // a board, but no socket yet: not live
    api.place(2, 2, 6);
    sockets.last().accept();
    sockets.last().receive(hello(api));
    await settle();
    expect(api.requests).toEqual(['/api/board', '/api/pixels?since=1&epoch=1']);
    expect(sync.status).toBe('live');
    expect(Buffer.from(sync.board!).equals(Buffer.from(api.board))).toBe(true);
    expect(sync.stats.boardLoads).toBe(1);
  });

  it('fetches nothing on hello when the board loaded at start is as new as the server\'s', async () => {
    const api = new FakeApi();
    api.place(1, 1, 5);
    const sockets = fakeSockets();
    const sync = new BoardSync({ apiUrl: '', socketUrls: ['ws://s/ws'], openSocket: sockets.open, fetch: api.fetch as typeof fetch, checkIntervalMs: 0, loadBoardAtStart: true });
    sync.start();
    await settle();
    sockets.last().accept();
    sockets.last().receive(hello(api));
    await settle();
    expect(sync.status).toBe('live');
    expect(api.requests).toEqual(['/api/board']);
  });

  it('repairs a gap in the frames with ?since= and the board\'s epoch', async () => {
    const { api, sync, sockets } = await live();
    api.place(0, 0, 1);
    api.place(1, 0, 2);
    const third = api.place(2, 0, 3);
    sockets.last().receive(encodePixelBatch([third]));
    await settle();
    expect(api.requests).toContain('/api/pixels?since=0&epoch=1');
    expect(sync.seq).toBe(3);
    expect(sync.stats.repairs).toBe(1);
    expect(Buffer.from(sync.board!).equals(Buffer.from(api.board))).toBe(true);
  });

  it('on reset loads the restored board, fetching again while a cache serves the old epoch', async () => {
    const { api, sync, sockets } = await live();
    api.place(0, 0, 1);
    api.served = { bytes: Uint8Array.from(api.board), seq: api.seq, epoch: 1 }; // a CDN copy from before the restore
    api.board.fill(0x33);
    api.epoch = 2;
    sockets.last().receive(encodeServerMessage({ type: 'reset', epoch: 2, seq: api.seq }));
    await settle();
    expect(sync.epoch).toBe(1); // not the stale copy…
    api.served = null;
    await vi.advanceTimersByTimeAsync(600);
    expect(sync.epoch).toBe(2); // …but the restored board, a moment later
    expect(Buffer.from(sync.board!).equals(Buffer.from(api.board))).toBe(true);
    expect(sync.stats.resets).toBe(1);
  });

  it('after a reconnect repairs from ?since= when the epoch is the same, and reloads when ?since= says 410', async () => {
    const { api, sync, sockets } = await live();
    sockets.last().drop(1006);
    expect(sync.status).toBe('reconnecting');
    api.place(4, 1, 9);
    await vi.advanceTimersByTimeAsync(100);
    sockets.last().accept();
    sockets.last().receive(hello(api));
    await settle();
    expect(sync.stats.boardLoads).toBe(1);
    expect(colorAt(sync.board!, pixelIndex(size, 4, 1))).toBe(9);
    api.updates = []; // the server no longer keeps what the client would need
    api.seq += 5;
    sockets.last().receive(encodePixelBatch([api.place(5, 1, 2)]));
    await settle();
    expect(sync.stats.boardLoads).toBe(2);
    expect(sync.seq).toBe(api.seq);
  });

  it('catches up by walking update segments, asking ?since= only for what the open segment\'s cached copy lacks', async () => {
    const { api, sync, sockets } = await live();
    sockets.last().drop(1006);
    api.place(0, 3, 1);
    api.place(1, 3, 2);
    api.place(2, 3, 3);
    await vi.advanceTimersByTimeAsync(100);
    sockets.last().accept();
    sockets.last().receive(encodeServerMessage({ type: 'hello', protocol: PROTOCOL_VERSION, seq: api.seq, epoch: 1, ...size, cooldownMs: 1000, online: 1, segment: 2 }));
    await settle();
    expect(api.requests.slice(-3)).toEqual(['/api/updates/1/0', '/api/updates/1/1', '/api/pixels?since=2&epoch=1']);
    expect(sync.seq).toBe(3);
    expect(Buffer.from(sync.board!).equals(Buffer.from(api.board))).toBe(true);
  });

  it('a client further behind than the board is worth loads the board rather than the updates', async () => {
    const { api, sync, sockets } = await live();
    sockets.last().drop(1006);
    for (let i = 0; i < 8; i++) api.place(i, 2, 4); // 8 updates · 5 bytes > a 16-byte board
    await vi.advanceTimersByTimeAsync(100);
    sockets.last().accept();
    sockets.last().receive(hello(api));
    await settle();
    expect(sync.stats.boardLoads).toBe(2);
    expect(api.requests.filter((r) => r.startsWith('/api/pixels') || r.startsWith('/api/updates'))).toEqual([]);
    expect(sync.seq).toBe(8);
  });

  it('places over the socket: resolved by the answer with its id, refused at once while not live, failed when the socket drops', async () => {
    const { sync, sockets } = await live();
    const placed = sync.place(1, 2, 3, 10_000, 'key-1');
    const sent = JSON.parse(sockets.last().sent.at(-1)!) as { id: number };
    expect(sent).toMatchObject({ type: 'place', x: 1, y: 2, color: 3, key: 'key-1' });
    sockets.last().receive(encodeServerMessage({ type: 'placed', id: sent.id, seq: 7, nextAllowedAt: 99 }));
    expect(await placed).toEqual({ ok: true, seq: 7, nextAllowedAt: 99 });
    const lost = sync.place(1, 2, 3);
    sockets.last().drop(1006);
    expect(await lost).toMatchObject({ ok: false, error: 'offline' });
    expect(await sync.place(1, 2, 3)).toMatchObject({ ok: false, error: 'offline' });
  });

  it('the safety check finds pixels that differ from the server\'s board at the same seq, repairs and counts them', async () => {
    const { api, sync } = await live();
    setColorAt(api.board, pixelIndex(size, 7, 3), 12); // changed behind the client's back (no seq)
    expect(await sync.check()).toBe(1);
    expect(sync.stats.mismatchedPixels).toBe(1);
    expect(colorAt(sync.board!, pixelIndex(size, 7, 3))).toBe(12);
  });
});
