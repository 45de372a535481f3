// Keeps a copy of the board in step with the server: connect the socket, buffer frames, fetch
// the board (maybe a CDN-stale copy), apply buffered and live frames in seq order, repair gaps
// with `?since=` (a full refetch only on 410), reconnect with backoff and jitter, and check the
// whole board now and then as the last safety net. No DOM: runs in browsers and in Node.
import { createBoard, pixelIndex, setColorAt } from '../../core/domain/board-codec.ts';
import { decodePixelBatch, forEachPixel, type PixelBatch } from '../../core/protocol/pixel-batch.ts';
import { CLOSE, encodeClientMessage, parseServerMessage, PROTOCOL_VERSION, type ServerMessage } from '../../core/protocol/messages.ts';
import { RecentUpdates } from './recent-updates.ts';

export type SyncStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

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

export interface BoardSyncOptions {
  /** Base URL of the HTTP API, e.g. "http://127.0.0.1:8080" or "" in a page. */
  apiUrl: string;
  /** WebSocket URLs to use, tried in turn on reconnect. */
  socketUrls: string[];
  openSocket: SocketFactory;
  fetch?: typeof fetch;
  /** Session token for ?token= (Node clients; pages use the cookie). */
  token?: string;
  checkIntervalMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  recentKept?: number;
}

export type PlaceResult =
  | { ok: true; seq: number; nextAllowedAt: number }
  | { ok: false; error: string; message: string; retryAfterMs?: number };

export interface SyncStats {
  /** Board resets announced by the server (a restore): each one reloads the board. */
  resets: number;
  framesApplied: number;
  repairs: number;
  boardLoads: number;
  checks: number;
  mismatchedPixels: number;
  reconnects: number;
}

type Listener<T extends unknown[]> = (...args: T) => void;
interface Events {
  pixel: [seq: number, x: number, y: number, color: number];
  board: [];
  applied: [seq: number];
  status: [status: SyncStatus];
  online: [count: number];
  hello: [message: ServerMessage & { type: 'hello' }];
  /** The server speaks a newer protocol than this code: reload it. */
  outdated: [protocol: number];
}

const OPEN = 1;

export class BoardSync {
  board: Uint8Array | null = null;
  seq = 0;
  /** Which restore of the board `board` belongs to (X-Board-Epoch); a new epoch means load it again. */
  epoch = 0;
  width = 0;
  height = 0;
  cooldownMs = 0;
  online = 0;
  status: SyncStatus = 'connecting';
  readonly stats: SyncStats = { resets: 0, framesApplied: 0, repairs: 0, boardLoads: 0, checks: 0, mismatchedPixels: 0, reconnects: 0 };

  private socket: SocketLike | null = null;
  private socketIndex = 0;
  private attempt = 0;
  private stopped = false;
  private helloed = false;
  private buffered: PixelBatch[] = [];
  private busy: Promise<void> | null = null;
  private lastEtag: string | null = null;
  private nextPlaceId = 1;
  private readonly pending = new Map<number, (r: PlaceResult) => void>();
  private readonly recent: RecentUpdates;
  private readonly listeners = new Map<keyof Events, Set<(...args: never[]) => void>>();
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private checkTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: BoardSyncOptions) {
    this.fetchFn = options.fetch ?? ((...args) => fetch(...args));
    this.recent = new RecentUpdates(options.recentKept ?? 50_000);
  }

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (...args: never[]) => void);
    return () => set.delete(listener as (...args: never[]) => void);
  }

  private emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const set = this.listeners.get(event);
    if (set) for (const l of set) (l as Listener<Events[K]>)(...args);
  }

  start(): void {
    this.stopped = false;
    this.connect();
    this.scheduleCheck();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.checkTimer) clearTimeout(this.checkTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'bye');
    this.socket = null;
    this.setStatus('offline');
    for (const resolve of this.pending.values()) resolve({ ok: false, error: 'offline', message: 'Disconnected.' });
    this.pending.clear();
  }

  /**
   * Places a pixel over the socket; refused at once while not live (never into the void). Pass
   * the same `key` when retrying one placement (say, after a timeout): it is never placed twice.
   */
  place(x: number, y: number, color: number, timeoutMs = 10_000, key?: string): Promise<PlaceResult> {
    if (this.status !== 'live' || !this.socket || this.socket.readyState !== OPEN) {
      return Promise.resolve({ ok: false, error: 'offline', message: 'Not connected: the pixel was not placed.' });
    }
    const id = this.nextPlaceId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: 'timeout', message: 'No answer from the server.' });
      }, timeoutMs);
      this.pending.set(id, (r) => { clearTimeout(timer); this.pending.delete(id); resolve(r); });
      this.socket!.send(encodeClientMessage(key ? { type: 'place', id, x, y, color, key } : { type: 'place', id, x, y, color }));
    });
  }

  /** Fetches the whole board and compares it with ours, repairing any difference. Returns pixels repaired. */
  check(): Promise<number> {
    return this.exclusive(() => this.compareWithServer(), 0);
  }

  private retrySoon(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.exclusive(async () => {
        if (!this.board) await this.loadBoard();
        else await this.repairFrom(this.seq);
      });
    }, 500 + Math.random() * 1000);
  }

  // --- connection -------------------------------------------------------------------------

  private connect(): void {
    if (this.stopped) return;
    const urls = this.options.socketUrls;
    const base = urls[this.socketIndex % urls.length]!;
    const url = this.options.token ? `${base}${base.includes('?') ? '&' : '?'}token=${encodeURIComponent(this.options.token)}` : base;
    this.helloed = false;
    const socket = this.options.openSocket(url);
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (ev) => { if (this.socket === socket) this.received(ev.data); };
    socket.onclose = (ev) => { if (this.socket === socket) this.disconnected(ev.code); };
    socket.onerror = () => {};
  }

  private disconnected(code: number): void {
    this.socket = null;
    for (const resolve of this.pending.values()) resolve({ ok: false, error: 'offline', message: 'Connection lost: the pixel may not have been placed.' });
    this.pending.clear();
    if (this.stopped) return;
    this.setStatus('reconnecting');
    this.stats.reconnects++;
    this.socketIndex++;
    const { reconnectBaseMs = 250, reconnectMaxMs = 10_000 } = this.options;
    // A restarting server (1012) asks everyone to come back: spread them out, but not long.
    const ceiling = code === CLOSE.SERVICE_RESTART ? reconnectBaseMs * 4 : Math.min(reconnectMaxMs, reconnectBaseMs * 2 ** this.attempt);
    this.attempt++;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private received(data: unknown): void {
    if (typeof data === 'string') {
      const message = parseServerMessage(data);
      if (message) this.control(message);
      return;
    }
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data as ArrayBufferLike);
    let batch: PixelBatch;
    try {
      batch = decodePixelBatch(bytes);
    } catch {
      return;
    }
    this.buffered.push(batch);
    if (!this.busy && this.board) this.drainBuffered();
  }

  private control(m: ServerMessage): void {
    switch (m.type) {
      case 'hello':
        if (m.protocol > PROTOCOL_VERSION) this.emit('outdated', m.protocol);
        this.helloed = true;
        this.attempt = 0;
        this.width = m.width;
        this.height = m.height;
        this.cooldownMs = m.cooldownMs;
        this.setOnline(m.online);
        this.emit('hello', m);
        // First connect: load the board. Reconnect: fetch what was missed while away, unless the
        // board was restored meanwhile (a new epoch): then start over.
        void this.exclusive(async () => {
          if (!this.board) await this.loadBoard(m.epoch);
          else if (m.epoch !== this.epoch) await this.reload(m.epoch);
          else await this.repairFrom(m.seq);
        });
        break;
      case 'online':
        this.setOnline(m.count);
        break;
      case 'placed':
      case 'error': {
        const resolve = m.id === undefined ? undefined : this.pending.get(m.id as number);
        if (!resolve) break;
        if (m.type === 'placed') resolve({ ok: true, seq: m.seq, nextAllowedAt: m.nextAllowedAt });
        else resolve({ ok: false, error: m.error, message: m.message, retryAfterMs: m.retryAfterMs });
        break;
      }
      case 'resync':
        void this.exclusive(() => this.repairFrom(m.seq)).then(() => this.check());
        break;
      case 'reset':
        this.stats.resets++;
        void this.exclusive(() => this.reload(m.epoch));
        break;
    }
  }

  // --- applying ----------------------------------------------------------------------------

  /**
   * Runs one repair/load at a time; frames arriving meanwhile wait in the buffer. A failure
   * (server briefly unavailable) is retried a moment later rather than surfacing.
   */
  private async exclusive<T>(work: () => Promise<T>, fallback?: T): Promise<T> {
    while (this.busy) await this.busy;
    let done!: () => void;
    this.busy = new Promise((r) => { done = r; });
    try {
      return await work();
    } catch {
      this.retrySoon();
      return fallback as T;
    } finally {
      this.busy = null;
      done();
      if (this.board) this.drainBuffered();
      if (this.board && this.helloed && this.socket) this.setStatus('live');
    }
  }

  /** Applies buffered frames in seq order; on a gap, repairs it from the server. */
  private drainBuffered(): void {
    if (!this.board || this.busy) return;
    this.buffered.sort((a, b) => a.firstSeq - b.firstSeq);
    while (this.buffered.length) {
      const batch = this.buffered[0]!;
      if (batch.firstSeq > this.seq + 1) {
        const target = batch.firstSeq - 1;
        void this.exclusive(() => this.repairFrom(target));
        return;
      }
      this.buffered.shift();
      this.applyBatch(batch);
    }
  }

  /** Applies the pixels of a batch that are newer than our seq. The batch must not start past seq + 1. */
  private applyBatch(batch: PixelBatch): void {
    const board = this.board!;
    const size = { width: this.width, height: this.height };
    let applied = false;
    forEachPixel(batch, (seq, x, y, color) => {
      if (seq <= this.seq) return;
      if (x < this.width && y < this.height) setColorAt(board, pixelIndex(size, x, y), color);
      this.seq = seq;
      this.recent.push(seq, x, y, color);
      this.emit('pixel', seq, x, y, color);
      applied = true;
    });
    if (applied) {
      this.stats.framesApplied++;
      this.emit('applied', this.seq);
    }
  }

  /**
   * Loads the board. A copy of an epoch older than `minEpoch` (a CDN still holding the board
   * from before a restore) is not taken: it is fetched again shortly.
   */
  private async loadBoard(minEpoch = 0): Promise<void> {
    let res = await this.fetchFn(`${this.options.apiUrl}/api/board`);
    for (let tries = 1; res.status === 200 && Number(res.headers.get('x-board-epoch')) < minEpoch && tries < 10; tries++) {
      await new Promise((r) => setTimeout(r, 500 * tries));
      res = await this.fetchFn(`${this.options.apiUrl}/api/board`);
    }
    if (res.status !== 200) throw new Error(`board fetch: ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    this.width = Number(res.headers.get('x-board-width')) || this.width;
    this.height = Number(res.headers.get('x-board-height')) || this.height;
    this.board = bytes.length ? bytes : createBoard({ width: this.width, height: this.height });
    this.seq = Number(res.headers.get('x-board-seq'));
    this.epoch = Number(res.headers.get('x-board-epoch')) || 0;
    this.lastEtag = res.headers.get('etag');
    this.recent.clear();
    this.stats.boardLoads++;
    this.emit('board');
  }

  /** Starts over from the server's board; frames held until now belong to the old one. */
  private async reload(minEpoch = this.epoch): Promise<void> {
    this.buffered = [];
    await this.loadBoard(minEpoch);
  }

  /**
   * Fetches updates after our seq until it reaches `target`. On 410 (our seq is older than the
   * kept window, or newer than the server's: the board was reset) it starts over from the board.
   */
  private async repairFrom(target: number): Promise<void> {
    this.stats.repairs++;
    for (;;) {
      const res = await this.fetchFn(`${this.options.apiUrl}/api/pixels?since=${this.seq}&epoch=${this.epoch}`);
      if (res.status === 410) return this.reload();
      if (res.status !== 200) throw new Error(`repair: ${res.status}`);
      const batch = decodePixelBatch(new Uint8Array(await res.arrayBuffer()));
      const before = this.seq;
      if (batch.count > 0) this.applyBatch(batch);
      if (this.seq === before || this.seq >= target) return;
    }
  }

  private async compareWithServer(): Promise<number> {
    if (!this.board) return 0;
    this.stats.checks++;
    const headers: Record<string, string> = this.lastEtag ? { 'if-none-match': this.lastEtag } : {};
    const res = await this.fetchFn(`${this.options.apiUrl}/api/board`, { headers });
    if (res.status === 304 || res.status !== 200) return 0;
    const fetched = new Uint8Array(await res.arrayBuffer());
    const fetchedSeq = Number(res.headers.get('x-board-seq'));
    const fetchedEpoch = Number(res.headers.get('x-board-epoch')) || 0;
    if (fetchedEpoch !== this.epoch) {
      // A newer epoch: the board was restored and we missed it. An older one: a stale copy.
      if (fetchedEpoch > this.epoch) await this.reload(fetchedEpoch);
      return 0;
    }
    this.lastEtag = res.headers.get('etag');
    if (fetchedSeq > this.seq) await this.repairFrom(fetchedSeq);
    if (fetchedSeq > this.seq) return 0;
    const size = { width: this.width, height: this.height };
    // Bring the fetched board up to our seq with the updates we applied after it.
    const complete = this.recent.replay(fetchedSeq, this.seq, (x, y, color) => setColorAt(fetched, pixelIndex(size, x, y), color));
    if (!complete || fetched.length !== this.board.length) return 0;
    let differing = 0;
    for (let i = 0; i < fetched.length; i++) if (fetched[i] !== this.board[i]) differing++;
    if (differing > 0) {
      this.board.set(fetched);
      this.stats.mismatchedPixels += differing;
      this.emit('board');
    }
    return differing;
  }

  private scheduleCheck(): void {
    const every = this.options.checkIntervalMs ?? 180_000;
    if (!Number.isFinite(every) || every <= 0) return;
    const delay = every * (0.8 + Math.random() * 0.4);
    this.checkTimer = setTimeout(() => {
      if (this.stopped) return;
      void this.check().catch(() => {}).finally(() => this.scheduleCheck());
    }, delay);
  }

  private setStatus(status: SyncStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', status);
  }

  private setOnline(count: number): void {
    this.online = count;
    this.emit('online', count);
  }
}
