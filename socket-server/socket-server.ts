// The WebSocket side: accepts clients at /ws, sends each a hello, fans every tick's frame out
// to all of them, places pixels for them through write-pixel, and protects itself (heartbeat,
// send-buffer cap, message size, per-IP cap, graceful drain).
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { Config } from '../core/config.ts';
import type { BoardReader, FeedSubscription, Leases, LiveModeration, PublishedBoards, UpdateFeed } from '../core/board-store/board-store.ts';
import type { Presence } from '../core/presence/presence.ts';
import { addressKey, clientAddress, type AddressEvidence } from '../core/domain/client-ip.ts';
import { parseRequestTarget } from '../core/http/request-target.ts';
import { reportFailure } from '../core/observability/telemetry.ts';
import { Broadcaster } from './broadcaster.ts';
import { TickClock } from './tick-clock.ts';
import { FeedRelay, type RelaySource } from '../core/board-store/feed-relay.ts';
import { ReplayRing } from './replay-ring.ts';
import { BoardMirror } from './board-mirror.ts';
import { BoardStatusRelay } from './board-status-relay.ts';
import { BoardPublisher } from '../core/service/board-publisher.ts';
import type { BoardObjects } from '../core/publish/published-board.ts';
import { decodePixelBatch } from '../core/protocol/pixel-batch.ts';
import { binaryFrame, sendFramed, textFrame } from './framed-send.ts';
import { parseClientMessage } from '../core/protocol/messages.ts';
import type { PixelPlacer } from './pixel-placer.ts';
import { newSocketStats } from './socket-stats.ts';
import { reject, resumeFrom, upgradeEvidence } from './upgrade-request.ts';
import { cookieValue } from '../lambdas/http/cookies.ts';
import { CLOSE, encodeServerMessage, PROTOCOL_VERSION, SESSION_COOKIE, type ServerMessage } from '../core/protocol/messages.ts';
import type { TemplateEvents } from '../core/community/community-store.ts';
import { TemplateWatchers } from './template-watch.ts';

/** Messages a client may send per second before it is cut off. */

interface Client {
  ws: WebSocket;
  ip: string;
  /** The address headers, passed on to write-pixel, which derives the same `ip` from them. */
  evidence: AddressEvidence;
  token: string | null;
  alive: boolean;
  placing: boolean;
  messages: number;
  windowStart: number;
}

export interface SocketServerDeps {
  config: Config;
  store: BoardReader & UpdateFeed & Pick<LiveModeration, 'boardStatus'>;
  presence: Presence;
  placer: PixelPlacer;
  /** With a relay source, this server relays the feed whenever it holds the relay lease. */
  relay?: RelaySource;
  /** With these, this server publishes the board for the CDN whenever it holds the publish lock (BOARD_PUBLISH_MS). */
  publish?: { objects: BoardObjects; store: Pick<BoardReader, 'snapshot'> & PublishedBoards & Leases };
  serverId?: string;
  /** Grief alerts for the clients watching a template (issue 12). */
  templateEvents?: Pick<TemplateEvents, 'subscribeGriefs'>;
}

export class SocketServer {
  readonly serverId: string;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly perIp = new Map<string, number>();
  private readonly broadcaster: Broadcaster;
  private readonly timers: NodeJS.Timeout[] = [];
  private feed: FeedSubscription | null = null;
  /** Who watches which template, and the grief alerts they get. */
  readonly watchers = new TemplateWatchers();
  private griefs: { close(): Promise<void> } | null = null;
  /** Null when the store publishes each write itself (or for the in-process store). */
  readonly relay: FeedRelay | null = null;
  private readonly clock: TickClock;
  private online = 0;
  /** The board's state and cooldown, as the feed last told (sent after every hello). */
  private readonly status: BoardStatusRelay;
  private draining = false;
  private drained: Promise<void> | null = null;
  /** Counters for benchmarks, tests and /metrics. */
  readonly stats = newSocketStats();
  private readonly mirror: BoardMirror;
  /** Null unless given somewhere to publish to. */
  readonly publisher: BoardPublisher | null = null;
  private readonly ring: ReplayRing;
  /** Called with each broadcast tick's duration (seconds), for the tick histogram. */
  onTick: ((seconds: number) => void) | null = null;

  constructor(private readonly deps: SocketServerDeps) {
    this.serverId = deps.serverId ?? randomBytes(6).toString('hex');
    this.wss = new WebSocketServer({
      noServer: true, perMessageDeflate: false, clientTracking: false, maxPayload: deps.config.socket.maxMessageBytes,
    });
    this.ring = new ReplayRing(deps.config.socket.replayMs, deps.config.socket.replayMaxBytes);
    this.mirror = new BoardMirror(deps.store);
    this.status = new BoardStatusRelay(() => deps.store.boardStatus(), (frame) => this.broadcast(frame));
    this.broadcaster = new Broadcaster(deps.store, {
      frame: (batch, lastSeq) => {
        this.mirror.apply(batch);
        const framed = binaryFrame(batch);
        this.ring.push(lastSeq - decodePixelBatch(batch).count + 1, lastSeq, framed);
        this.broadcast(framed);
      },
      resync: (seq) => {
        this.stats.resyncs++;
        this.reloadMirror();
        this.broadcast(textFrame(encodeServerMessage({ type: 'resync', seq })));
      },
      reset: (epoch, seq) => {
        this.stats.resets++;
        this.ring.clear();
        this.reloadMirror();
        this.broadcast(textFrame(encodeServerMessage({ type: 'reset', epoch, seq })));
      },
      resize: (width, height, seq) => {
        this.stats.resizes++;
        this.mirror.resize(width, height);
        this.broadcast(textFrame(encodeServerMessage({ type: 'resize', width, height, seq })));
      },
    }, { gapWaitMs: Math.max(2 * deps.config.socket.tickMs, 100), repairPageSize: deps.config.socket.repairPageSize });
    if (deps.publish) {
      this.publisher = new BoardPublisher(deps.publish, deps.config.publish,
        // The board as clients were last sent it, from the mirror: no store read.
        () => this.mirror.copyAt(this.broadcaster.lastSeq));
    }
    this.clock = new TickClock(deps.config.socket.tickMs, () => this.broadcaster.tick(), (seconds) => this.onTick?.(seconds));
    if (deps.relay) {
      const { tickMs, relayLeaseMs, repairPageSize } = deps.config.socket;
      this.relay = new FeedRelay(deps.relay, { tickMs, leaseMs: relayLeaseMs, pageSize: repairPageSize },
        () => this.broadcaster.lastSeq, (batch) => this.ingest(batch));
    }
  }

  /** Feed input (from the channel, or straight from this server's relay): out at the next tick due. */
  private ingest(batch: Uint8Array): void {
    this.broadcaster.ingest(batch);
    this.clock.wake();
  }

  get connections(): number {
    return this.clients.size;
  }

  get lastSeq(): number {
    return this.broadcaster.lastSeq;
  }

  /** The open sockets (tests cut them to act out a network blip). */
  clientsForTest(): WebSocket[] {
    return [...this.clients].map((c) => c.ws);
  }

  /** Gaps in the feed repaired from the store so far. */
  get gapRepairs(): number {
    return this.broadcaster.repairs;
  }

  async start(): Promise<void> {
    const { socket } = this.deps.config;
    await this.broadcaster.start(this.deps.config.board);
    this.feed = await this.deps.store.subscribe({
      onBatch: (batch) => this.ingest(batch),
      onReset: (epoch, seq) => { this.broadcaster.reset(epoch, seq); void this.status.refresh(); },
      onResize: (width, height, seq) => this.broadcaster.resize(width, height, seq),
      onResync: () => { void this.broadcaster.resync(); void this.status.refresh(); },
      onBoardStatus: (status) => this.status.changed(status),
    });
    await this.status.load();
    this.reloadMirror();
    if (socket.digestMs > 0) this.timers.push(setInterval(() => this.sendDigest(), socket.digestMs));
    this.clock.start();
    this.relay?.start();
    this.publisher?.start();
    if (this.deps.templateEvents) this.griefs = await this.deps.templateEvents.subscribeGriefs((e) => this.watchers.notify(e));
    this.timers.push(setInterval(() => this.heartbeat(), socket.pingIntervalMs));
    this.timers.push(setInterval(() => void this.reportOnline(), socket.onlineIntervalMs));
    await this.reportOnline();
  }

  /** Takes over upgrade requests for /ws on an HTTP server. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  /**
   * Every path out of here either hands the socket to ws or refuses it with an HTTP status; the
   * socket gets an 'error' listener first, because after a refusal (or while ws is busy with the
   * handshake) a client reset would otherwise be an unhandled 'error' that kills the process.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => { this.stats.socketErrors++; });
    try {
      const target = parseRequestTarget(req.url);
      if (!target) return this.refuse(socket, 400, 'Bad Request');
      if (target.path !== '/ws') return this.refuse(socket, 404, 'Not Found');
      if (this.draining) return this.refuse(socket, 503, 'Service Unavailable');
      const evidence = upgradeEvidence(req);
      const ip = clientAddress(evidence, this.deps.config.clientAddress);
      const open = this.perIp.get(addressKey(ip)) ?? 0;
      if (open >= this.deps.config.socket.connectionsPerIp) return this.refuse(socket, 429, 'Too Many Requests');
      const token = target.query.get('token') ?? cookieValue(req.headers.cookie, SESSION_COOKIE) ?? null;
      const resume = resumeFrom(target.query);
      this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, { ip, evidence, token }, resume));
    } catch (err) {
      reportFailure('socket-upgrade', err);
      this.refuse(socket, 400, 'Bad Request');
    }
  }

  private refuse(socket: Duplex, status: number, text: string): void {
    this.stats.upgradesRefused++;
    reject(socket, status, text);
  }

  private connected(ws: WebSocket, who: { ip: string; evidence: AddressEvidence; token: string | null }, resume: { seq: number; epoch: number } | null): void {
    const client: Client = { ws, ...who, alive: true, placing: false, messages: 0, windowStart: Date.now() };
    this.clients.add(client);
    this.perIp.set(addressKey(who.ip), (this.perIp.get(addressKey(who.ip)) ?? 0) + 1);
    const { config } = this.deps;
    // A client that names where it is gets what it missed from memory, right after hello.
    const missed = resume && resume.epoch === this.broadcaster.epoch ? this.ring.framesAfter(resume.seq) : null;
    if (resume) this.stats[missed ? 'resumedFromMemory' : 'resumesMissed']++;
    ws.send(encodeServerMessage({
      type: 'hello', protocol: PROTOCOL_VERSION, seq: this.broadcaster.lastSeq, epoch: this.broadcaster.epoch, ...this.broadcaster.size,
      cooldownMs: this.status.cooldownMs ?? config.cooldown.cooldownMs, online: Math.max(this.online, this.clients.size), resumed: missed !== null,
      segment: config.updatesSegment,
    }));
    const board = this.status.helloMessage;
    if (board) ws.send(board);
    for (const frame of missed ?? []) sendFramed(ws, frame);
    // Where the client now is (hello's seq): the digest to check its copy against, made once per seq.
    const digest = this.mirror.digestFrame(this.broadcaster.lastSeq);
    if (digest) sendFramed(ws, digest);
    ws.on('pong', () => { client.alive = true; });
    ws.on('message', (data, isBinary) => this.message(client, data, isBinary));
    ws.on('error', () => {
      this.stats.socketErrors++;
      ws.terminate();
    });
    ws.once('close', () => {
      this.clients.delete(client);
      this.watchers.forget(ws);
      const key = addressKey(client.ip); // caps count an IPv6 address by its /64
      const left = (this.perIp.get(key) ?? 1) - 1;
      if (left > 0) this.perIp.set(key, left);
      else this.perIp.delete(key);
    });
  }

  private reloadMirror(): void {
    this.mirror.invalidate();
    void this.mirror.load(() => ({ seq: this.broadcaster.lastSeq, epoch: this.broadcaster.epoch }));
  }

  private sendDigest(): void {
    const frame = this.mirror.digestFrame(this.broadcaster.lastSeq);
    if (frame) {
      this.stats.digestsSent++;
      this.broadcast(frame);
    } else if (!this.mirror.loaded) {
      this.reloadMirror();
    }
  }

  private message(client: Client, data: RawData, isBinary: boolean): void {
    const now = Date.now();
    if (now - client.windowStart >= 1000) {
      client.windowStart = now;
      client.messages = 0;
    }
    if (++client.messages > this.deps.config.socket.messagesPerSecond) return client.ws.close(CLOSE.TOO_MANY_MESSAGES, 'too many messages');
    if (isBinary) return client.ws.close(CLOSE.UNSUPPORTED_DATA, 'binary messages are not accepted');
    const parsed = parseClientMessage(data.toString());
    if (!parsed.ok) return reply(client.ws, { type: 'error', id: parsed.id, error: parsed.error, message: parsed.message });
    const m = parsed.message;
    if (m.type === 'ping') return reply(client.ws, { type: 'pong' });
    if (m.type === 'watch') return this.watchers.watch(client.ws, m.template);
    if (m.type === 'mismatch') {
      this.stats.clientMismatches++;
      this.stats.mismatchedTiles += m.tiles;
      this.stats.mismatchedPixels += m.pixels;
      return;
    }
    if (client.placing) {
      return reply(client.ws, { type: 'error', id: m.id, error: 'rate_limited', message: 'One placement at a time.', retryAfterMs: 100 });
    }
    client.placing = true;
    this.deps.placer.place({ x: m.x, y: m.y, color: m.color, token: client.token, ...client.evidence, idempotencyKey: m.key })
      .then((result) => {
        if (result.ok) reply(client.ws, { type: 'placed', id: m.id, seq: result.seq, nextAllowedAt: result.nextAllowedAt });
        else reply(client.ws, { type: 'error', id: m.id, error: result.error, message: result.message, retryAfterMs: result.retryAfterMs });
      })
      .catch((err: unknown) => reportFailure('socket-place', err))
      .finally(() => { client.placing = false; });
  }

  /** Writes one pre-framed message to every client; slow consumers are closed, not buffered for. */
  private broadcast(frame: Buffer): void {
    const max = this.deps.config.socket.maxBufferedBytes;
    let sent = 0;
    for (const client of this.clients) {
      const { ws } = client;
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > max) {
        this.closeSlow(client);
        continue;
      }
      sendFramed(ws, frame);
      sent++;
    }
    this.stats.framesSent++;
    this.stats.bytesSent += frame.length * sent;
  }

  private closeSlow(client: Client): void {
    this.stats.slowConsumersClosed++;
    this.clients.delete(client);
    // The close frame would queue behind the backlog, so the socket is cut right after it.
    client.ws.close(CLOSE.SLOW_CONSUMER, 'slow consumer');
    setTimeout(() => client.ws.terminate(), 1000).unref();
  }

  private heartbeat(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }

  private async reportOnline(): Promise<void> {
    const now = Date.now();
    try {
      await this.deps.presence.report(this.serverId, this.clients.size, now);
      this.online = await this.deps.presence.total(now);
    } catch (err) {
      reportFailure('presence', err);
      this.online = this.clients.size;
    }
    this.broadcast(textFrame(encodeServerMessage({ type: 'online', count: this.online })));
  }

  /**
   * Refuse new clients and tell the connected ones to reconnect elsewhere (1012), spread evenly
   * over drainMs so they do not all arrive at the other servers at once. Started when the task is
   * being stopped (task-stop-watch.ts) or on SIGTERM, whichever comes first; calling it again
   * returns the drain under way.
   */
  drain(): Promise<void> {
    this.drained ??= this.spreadReconnects();
    return this.drained;
  }

  private async spreadReconnects(): Promise<void> {
    this.draining = true;
    // Hand the relay over at once: the other servers' clients must not wait for this one to go.
    await this.relay?.stop();
    const clients = [...this.clients];
    const { drainMs } = this.deps.config.socket;
    await Promise.all(clients.map((client, i) => new Promise<void>((resolve) => {
      setTimeout(() => {
        client.ws.close(CLOSE.SERVICE_RESTART, 'server restarting, reconnect');
        resolve();
      }, clients.length > 1 ? (drainMs * i) / clients.length : 0);
    })));
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.clock.stop();
    await this.relay?.stop();
    await this.publisher?.stop();
    await this.feed?.close();
    await this.griefs?.close();
    for (const client of this.clients) client.ws.close(CLOSE.GOING_AWAY, 'server stopping');
    const deadline = Date.now() + 2000;
    while (this.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const client of this.clients) client.ws.terminate();
    this.wss.close();
    await this.deps.presence.report(this.serverId, 0, 0).catch((err: unknown) => reportFailure('presence', err));
  }
}

function reply(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(encodeServerMessage(message));
}
