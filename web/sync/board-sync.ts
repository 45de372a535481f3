// Keeps a copy of the board in step with the server (docs/PROTOCOL.md, "Client algorithm"):
// a reconnecting socket brings frames and control messages, a board replica applies them in
// seq order, and this orchestrator fetches what the socket cannot give (the board, `since`
// repairs, the periodic safety check), one fetch at a time. No DOM: runs in browsers and Node.
import { decodePixelBatch, type PixelBatch } from '../../core/protocol/pixel-batch.ts';
import {
  encodeClientMessage, parseServerMessage, PROTOCOL_VERSION, type BoardStatusMessage, type DigestMessage, type HelloMessage, type ServerMessage, type TemplateGriefedMessage,
} from '../../core/protocol/messages.ts';
import { compareDigest } from './digest-compare.ts';
import { BoardReplica } from './board-replica.ts';
import { ReconnectingSocket, type SocketFactory } from './reconnecting-socket.ts';
import { BoardHttp } from './board-http.ts';
import { BoardRepair } from './board-repair.ts';

export type { SocketLike, SocketFactory } from './reconnecting-socket.ts';

export type SyncStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface BoardSyncOptions {
  /** Base URL of the HTTP API, e.g. "http://127.0.0.1:8080" or "" in a page. */
  apiUrl: string;
  /** WebSocket URLs to use, tried in turn on reconnect. */
  socketUrls: string[];
  openSocket: SocketFactory;
  fetch?: typeof fetch;
  /** Session token for ?token= (Node clients; pages use the cookie). */
  token?: string;
  /**
   * How often to fetch the whole board and compare, beyond the digests (default 6 h, jittered
   * ±20 %): the rare full resync. Digests catch a divergence within SOCKET_DIGEST_MS for a few
   * hundred bytes, so this is only the last line of defence. 0: never.
   */
  checkIntervalMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** After a server is lost, the first reconnect waits a random time up to this (default 1.5 s). */
  reconnectSpreadMs?: number;
  recentKept?: number;
  /**
   * Fetch the board as soon as start() is called, alongside the socket's handshake, rather than
   * after its hello: a page shows the board one round trip sooner. The hello then only repairs
   * what was placed in between.
   */
  loadBoardAtStart?: boolean;
}

export type PlaceResult =
  | { ok: true; seq: number; nextAllowedAt: number }
  | { ok: false; error: string; message: string; retryAfterMs?: number };

export interface SyncStats {
  /** Digests compared at their seq, those dropped (our copy was already past it), tiles that differed and were fetched. */
  digestsChecked: number;
  digestsSkipped: number;
  mismatchedTiles: number;
  /** Times the board grew while this client watched. */
  resizes: number;
  /** Reconnects where the server sent what was missed from memory (no HTTP catch-up). */
  resumedFromMemory: number;
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
  /** The board grew to width × height (already applied to `board`). */
  resize: [width: number, height: number];
  applied: [seq: number];
  status: [status: SyncStatus];
  online: [count: number];
  hello: [message: HelloMessage];
  /** The server speaks a newer protocol than this code: reload it. */
  outdated: [protocol: number];
  /** The board's state and cooldown (after hello, and whenever an admin changes them). */
  boardStatus: [message: BoardStatusMessage];
  /** Pixels of the watched template (watchTemplate) were griefed. */
  griefed: [message: TemplateGriefedMessage];
}

/** The full-board check behind the digests (a safety net for a digest that missed): about every 6 h. */
export const FULL_CHECK_MS = 6 * 3_600_000;

export class BoardSync {
  cooldownMs = 0;
  online = 0;
  status: SyncStatus = 'connecting';
  readonly stats: SyncStats = { digestsChecked: 0, digestsSkipped: 0, mismatchedTiles: 0, resizes: 0, resumedFromMemory: 0, resets: 0, framesApplied: 0, repairs: 0, boardLoads: 0, checks: 0, mismatchedPixels: 0, reconnects: 0 };

  private readonly replica: BoardReplica;
  private readonly socket: ReconnectingSocket;
  private stopped = false;
  private helloed = false;
  private busy: Promise<void> | null = null;
  private nextPlaceId = 1;
  private watching: string | null = null;
  private readonly pending = new Map<number, (r: PlaceResult) => void>();
  private readonly listeners = new Map<keyof Events, Set<(...args: never[]) => void>>();
  private checkTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** The HTTP reads (board, segments, since), with the bytes they brought. */
  readonly http: BoardHttp;
  private readonly repair: BoardRepair;
  /** The last digest received, compared once our copy reaches its seq. */
  private digest: DigestMessage | null = null;
  private readonly emitPixel = (seq: number, x: number, y: number, color: number) => this.emit('pixel', seq, x, y, color);

  constructor(private readonly options: BoardSyncOptions) {
    this.http = new BoardHttp(options.apiUrl, options.fetch ?? ((...args) => fetch(...args)));
    this.replica = new BoardReplica(options.recentKept ?? 50_000);
    this.repair = new BoardRepair(this.replica, this.http, this.stats, {
      pixel: this.emitPixel, board: () => this.emit('board'), applied: (seq) => this.emit('applied', seq),
    });
    this.socket = new ReconnectingSocket(
      {
        urls: options.socketUrls, open: options.openSocket, token: options.token, baseMs: options.reconnectBaseMs, maxMs: options.reconnectMaxMs,
        lossSpreadMs: options.reconnectSpreadMs,
        // Where this client is, so the server can send what it missed from memory.
        query: () => (this.replica.board ? { seq: String(this.replica.seq), epoch: String(this.replica.epoch) } : null),
      },
      { message: (data) => this.received(data), close: () => this.disconnected() },
    );
  }

  get board(): Uint8Array | null { return this.replica.board; }
  get seq(): number { return this.replica.seq; }
  get epoch(): number { return this.replica.epoch; }
  get width(): number { return this.replica.width; }
  get height(): number { return this.replica.height; }

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
    this.helloed = false;
    this.socket.start();
    if (this.options.loadBoardAtStart && !this.replica.board) void this.exclusive(() => this.repair.loadBoard());
    this.scheduleCheck();
  }

  stop(): void {
    this.stopped = true;
    if (this.checkTimer) clearTimeout(this.checkTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket.stop();
    this.setStatus('offline');
    this.failPending('Disconnected.');
  }

  /**
   * Places a pixel over the socket; refused at once while not live (never into the void). Pass
   * the same `key` when retrying one placement (say, after a timeout): it is never placed twice.
   */
  place(x: number, y: number, color: number, timeoutMs = 10_000, key?: string): Promise<PlaceResult> {
    if (this.status !== 'live' || !this.socket.open) {
      return Promise.resolve({ ok: false, error: 'offline', message: 'Not connected: the pixel was not placed.' });
    }
    const id = this.nextPlaceId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: 'timeout', message: 'No answer from the server.' });
      }, timeoutMs);
      this.pending.set(id, (r) => { clearTimeout(timer); this.pending.delete(id); resolve(r); });
      this.socket.send(encodeClientMessage(key ? { type: 'place', id, x, y, color, key } : { type: 'place', id, x, y, color }));
    });
  }

  /**
   * Asks for grief alerts of one template (null: none); said again after every reconnect, since
   * a socket server only knows what its own connections asked.
   */
  watchTemplate(template: string | null): void {
    this.watching = template;
    if (this.socket.open && this.helloed) this.socket.send(encodeClientMessage({ type: 'watch', template }));
  }

  /** Fetches the whole board and compares it with ours, repairing any difference. Returns pixels repaired. */
  check(): Promise<number> {
    return this.exclusive(() => this.repair.compareWithServer(), 0);
  }

  // --- socket -------------------------------------------------------------------------------

  private disconnected(): void {
    this.helloed = false;
    this.failPending('Connection lost: the pixel may not have been placed.');
    if (this.stopped) return;
    this.stats.reconnects = this.socket.reconnects;
    this.setStatus('reconnecting');
  }

  private failPending(message: string): void {
    for (const resolve of this.pending.values()) resolve({ ok: false, error: 'offline', message });
    this.pending.clear();
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
    this.replica.enqueue(batch);
    if (!this.busy) this.applyBuffered();
  }

  private control(m: ServerMessage): void {
    switch (m.type) {
      case 'hello':
        if (m.protocol > PROTOCOL_VERSION) this.emit('outdated', m.protocol);
        this.helloed = true;
        this.socket.healthy();
        this.cooldownMs = m.cooldownMs;
        this.repair.segmentSize = m.segment ?? 0;
        this.grow(m.width, m.height);
        this.setOnline(m.online);
        if (this.watching) this.socket.send(encodeClientMessage({ type: 'watch', template: this.watching }));
        this.emit('hello', m);
        // First connect: load the board (unless already loaded at start). Reconnect: fetch what
        // was missed while away, unless the board was restored meanwhile (a new epoch): then
        // start over. Nothing to fetch when our board is as new as the server's.
        void this.exclusive(async () => {
          if (!this.replica.board) await this.repair.loadBoard(m.epoch, m);
          else if (m.epoch !== this.replica.epoch) await this.repair.reload(m.epoch);
          else if (m.resumed) this.stats.resumedFromMemory++; // the frames it missed follow
          else await this.repair.repairFrom(m.seq);
        });
        break;
      case 'online':
        this.setOnline(m.count);
        break;
      case 'digest':
        this.digest = m;
        this.checkDigest();
        break;
      case 'resize':
        this.grow(m.width, m.height);
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
        void this.exclusive(() => this.repair.repairFrom(m.seq)).then(() => this.check());
        break;
      case 'reset':
        this.stats.resets++;
        void this.exclusive(() => this.repair.reload(m.epoch));
        break;
      case 'board':
        this.cooldownMs = m.cooldownMs;
        this.emit('boardStatus', m);
        break;
      case 'template-griefed':
        this.emit('griefed', m);
        break;
      case 'pong':
        break;
    }
  }

  // --- fetching -----------------------------------------------------------------------------

  /**
   * Runs one repair/load at a time; frames arriving meanwhile wait in the replica. A failure
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
      this.applyBuffered();
      if (this.replica.board && this.helloed && this.socket.open) this.setStatus('live');
    }
  }

  private retrySoon(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.exclusive(async () => {
        if (!this.replica.board) await this.repair.loadBoard();
        else await this.repair.repairFrom(this.repair.wantedSeq);
      });
    }, 500 + Math.random() * 1000);
  }

  /** Applies held frames in seq order; on a gap, repairs it from the server. */
  private applyBuffered(): void {
    if (!this.replica.board || this.busy) return;
    const { applied, gapTo } = this.replica.applyReady(this.emitPixel);
    if (applied > 0) {
      this.stats.framesApplied += applied;
      this.emit('applied', this.replica.seq);
    }
    if (gapTo !== null) void this.exclusive(() => this.repair.repairFrom(gapTo));
    else this.checkDigest();
  }

  /** The board grew (a resize message, or a hello after one we missed): same pixels, more room. */
  private grow(width: number, height: number): void {
    if (!this.replica.board || (width <= this.replica.width && height <= this.replica.height)) return;
    this.replica.resize(Math.max(width, this.replica.width), Math.max(height, this.replica.height));
    this.stats.resizes++;
    this.emit('resize', this.replica.width, this.replica.height);
    this.emit('board');
  }

  /**
   * Compares our copy with the last digest once it is at the digest's seq, and repairs what
   * differs: the differing tiles, or the whole board when much differs. Tells the server what it
   * found (counted in its metrics).
   */
  private checkDigest(): void {
    const digest = this.digest;
    if (!digest || this.busy) return;
    const verdict = compareDigest(this.replica, digest);
    if (verdict.status === 'wait') return;
    this.digest = null;
    if (verdict.status === 'stale') {
      this.stats.digestsSkipped++;
      return;
    }
    this.stats.digestsChecked++;
    if (verdict.status === 'match') return;
    void this.exclusive(async () => {
      const pixels = verdict.gross ? await this.repair.compareWithServer() : await this.repair.repairTiles(verdict.tiles);
      this.stats.mismatchedTiles += verdict.tiles.length;
      if (this.socket.open) this.socket.send(encodeClientMessage({ type: 'mismatch', tiles: verdict.tiles.length, pixels }));
    });
  }

  private scheduleCheck(): void {
    const every = this.options.checkIntervalMs ?? FULL_CHECK_MS;
    if (!Number.isFinite(every) || every <= 0) return;
    const delay = every * (0.8 + Math.random() * 0.4);
    this.checkTimer = setTimeout(() => {
      if (this.stopped) return;
      void this.check().finally(() => this.scheduleCheck());
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
