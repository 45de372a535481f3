import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReconnectingSocket } from './reconnecting-socket.ts';
import { fakeSockets } from '../../test-support/fake-socket.ts';
import { CLOSE } from '../../core/protocol/messages.ts';

describe('reconnecting socket', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = (random = () => 1, lossSpreadMs = 0) => {
    const sockets = fakeSockets();
    const closes: number[] = [];
    const messages: unknown[] = [];
    const socket = new ReconnectingSocket(
      { urls: ['ws://a/ws', 'ws://b/ws?x=1'], open: sockets.open, token: 't k', baseMs: 100, maxMs: 1000, random, lossSpreadMs, query: () => ({ seq: '7' }) },
      { message: (d) => messages.push(d), close: (c) => closes.push(c) },
    );
    return { sockets, closes, messages, socket };
  };

  it('connects to the URLs in turn, with the token as a query parameter', () => {
    const { sockets, socket } = setup();
    socket.start();
    const first = new URL(sockets.last().url);
    expect([first.host, first.searchParams.get('token'), first.searchParams.get('seq')]).toEqual(['a', 't k', '7']);
    sockets.last().drop(1006);
    vi.advanceTimersByTime(100);
    const second = new URL(sockets.last().url);
    expect([second.host, second.searchParams.get('x'), second.searchParams.get('token')]).toEqual(['b', '1', 't k']);
  });

  it('backs off exponentially up to the cap, and starts over once the server greets it', () => {
    const { sockets, socket, closes } = setup();
    socket.start();
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const before = sockets.opened.length;
      sockets.last().drop(1006);
      let waited = 0;
      while (sockets.opened.length === before) { vi.advanceTimersByTime(10); waited += 10; }
      waits.push(waited);
    }
    expect(waits).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(closes).toHaveLength(6);
    socket.healthy();
    sockets.last().drop(1006);
    vi.advanceTimersByTime(100);
    expect(sockets.opened).toHaveLength(8);
  });

  it('gives up a connection that does not open within the connect timeout, and tries the next URL', () => {
    const sockets = fakeSockets();
    const closes: number[] = [];
    const socket = new ReconnectingSocket(
      { urls: ['ws://a/ws', 'ws://b/ws'], open: sockets.open, baseMs: 100, random: () => 0, lossSpreadMs: 0, connectTimeoutMs: 5000 },
      { message: () => {}, close: (c) => closes.push(c) },
    );
    socket.start();
    vi.advanceTimersByTime(4999);
    expect(sockets.opened).toHaveLength(1);
    vi.advanceTimersByTime(1 + 50); // timed out, then the first backoff (jittered to half of 100 ms)
    expect([sockets.opened[0]!.readyState, closes, new URL(sockets.last().url).host]).toEqual([3, [CLOSE.ABNORMAL], 'b']);
    sockets.last().accept(); // this one opens in time: no timeout later
    vi.advanceTimersByTime(60_000);
    expect([sockets.opened.length, socket.open]).toEqual([2, true]);
    socket.stop();
  });

  it('after a server is lost, spreads the first attempt over the loss spread; later ones back off as usual', () => {
    const times = [0, 0.5, 0.999].map((r) => {
      const { sockets, socket } = setup(() => r, 2000);
      socket.start();
      sockets.last().drop(1006);
      let waited = 0;
      while (sockets.opened.length === 1) { vi.advanceTimersByTime(10); waited += 10; }
      return waited;
    });
    expect(times).toEqual([10, 1000, 2000]);
  });

  it('comes back soon after a draining server\'s 1012, spread by jitter', () => {
    const early = setup(() => 0);
    early.socket.start();
    early.sockets.last().drop(CLOSE.SERVICE_RESTART);
    vi.advanceTimersByTime(200);
    expect(early.sockets.opened).toHaveLength(2);
    const late = setup(() => 0.5);
    late.socket.start();
    late.sockets.last().drop(CLOSE.SERVICE_RESTART);
    vi.advanceTimersByTime(299);
    expect(late.sockets.opened).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(late.sockets.opened).toHaveLength(2);
  });

  it('passes messages on, sends only while open, and stays down once stopped', () => {
    const { sockets, socket, messages } = setup();
    socket.start();
    expect(socket.send('x')).toBe(false);
    sockets.last().accept();
    expect(socket.send('{"type":"ping"}')).toBe(true);
    sockets.last().receive('hello');
    expect(messages).toEqual(['hello']);
    socket.stop();
    vi.advanceTimersByTime(60_000);
    expect(sockets.opened).toHaveLength(1);
  });
});
