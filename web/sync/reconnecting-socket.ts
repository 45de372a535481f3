// A WebSocket that comes back: it tries the socket URLs in turn, waits base · 2^attempt ms
// (halved and jittered, capped) between attempts, and after a draining server's 1012 comes
// back soon but spread out. No DOM: the socket comes from a factory (the browser's WebSocket,
// or `ws` in Node and tests).
import { CLOSE } from '../../core/protocol/messages.ts';

export interface SocketLike {
  binaryType: string;
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface ReconnectingSocketOptions {
  urls: string[];
  open: SocketFactory;
  /** Sent as ?token= (Node clients; pages use the cookie). */
  token?: string;
  baseMs?: number;
  maxMs?: number;
  /**
   * After an unexpected close (a server lost), the first attempt waits a random time up to this:
   * every client of a lost server reconnects to the others, spread out rather than all at once.
   */
  lossSpreadMs?: number;
  /**
   * A connection not open within this long is given up and the next URL tried: a handshake the
   * server's full listen queue dropped is otherwise retried by TCP alone, for up to minutes.
   */
  connectTimeoutMs?: number;
  /** Query parameters for each connection, asked at connect time (where the client is). */
  query?: () => Record<string, string> | null;
  /** For tests: the jitter source. */
  random?: () => number;
}

export interface SocketEvents {
  message(data: unknown): void;
  /** The socket closed (not by stop()); a reconnect is already scheduled. */
  close(code: number): void;
}

const OPEN = 1;

export class ReconnectingSocket {
  /** Connections lost so far. */
  reconnects = 0;
  private socket: SocketLike | null = null;
  private urlIndex = 0;
  private attempt = 0;
  private stopped = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: ReconnectingSocketOptions, private readonly events: SocketEvents) {}

  get open(): boolean {
    return this.socket !== null && this.socket.readyState === OPEN;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.clearConnectTimer();
    this.socket?.close(1000, 'bye');
    this.socket = null;
  }

  /** The server greeted us: the next loss starts the backoff from the beginning. */
  healthy(): void {
    this.attempt = 0;
  }

  /** Sends on the open socket; false when there is none. */
  send(text: string): boolean {
    if (!this.open) return false;
    this.socket!.send(text);
    return true;
  }

  private connect(): void {
    if (this.stopped) return;
    const { urls, token, query } = this.options;
    const base = urls[this.urlIndex % urls.length]!;
    const params = new URLSearchParams({ ...(token ? { token } : {}), ...(query?.() ?? {}) }).toString();
    const url = params ? `${base}${base.includes('?') ? '&' : '?'}${params}` : base;
    const socket = this.options.open(url);
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (ev) => { if (this.socket === socket) this.events.message(ev.data); };
    socket.onclose = (ev) => { if (this.socket === socket) this.lost(ev.code); };
    socket.onerror = () => {};
    socket.onopen = () => this.clearConnectTimer();
    this.connectTimer = setTimeout(() => {
      if (this.socket !== socket || socket.readyState === OPEN) return;
      this.lost(CLOSE.ABNORMAL);
      try {
        socket.close();
      } catch {
        // closing a socket that never opened may throw in some implementations; it is dropped anyway
      }
    }, this.options.connectTimeoutMs ?? 10_000);
  }

  private clearConnectTimer(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  private lost(code: number): void {
    this.clearConnectTimer();
    this.socket = null;
    if (this.stopped) return;
    this.reconnects++;
    this.urlIndex++;
    this.timer = setTimeout(() => this.connect(), this.delayAfter(code));
    this.events.close(code);
  }

  /** How long to wait before the next attempt after a close with `code`. */
  private delayAfter(code: number): number {
    const { baseMs = 250, maxMs = 10_000, lossSpreadMs = 1500, random = Math.random } = this.options;
    const first = this.attempt === 0;
    this.attempt++;
    // A restarting server (1012) asks everyone to come back: spread them out, but not long.
    if (code === CLOSE.SERVICE_RESTART) return baseMs * 2 + random() * baseMs * 2;
    // A server lost without a word: all its clients come at once unless spread.
    if (first && code !== 1000 && lossSpreadMs > 0) return random() * lossSpreadMs;
    const ceiling = Math.min(maxMs, baseMs * 2 ** (this.attempt - 1));
    return ceiling / 2 + random() * (ceiling / 2);
  }
}
