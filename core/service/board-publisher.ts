// Publishes the board for the CDN (core/publish/published-board.ts): every BOARD_PUBLISH_MS the
// board as an immutable gzip object named by epoch, seq and size, every BOARD_PNG_PUBLISH_MS its
// PNG, and the newest in the live store, where GET /api/board finds it to redirect. One process
// at a time publishes (the 'publish' lease, renewed while it does; the others wait it out, see
// LeaseKeeper); a socket server hands in the board it keeps for its digests, so publishing costs
// Redis nothing but the pointer.
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { BoardReader, BoardSnapshot, HeldLease, Leases, PublishedBoards } from '../board-store/board-store.ts';
import { LeaseKeeper } from '../board-store/lease-keeper.ts';
import { publishedKey, type BoardObjects, type PublishedBoard } from '../publish/published-board.ts';
import { encodeBoardPng } from '../publish/board-png.ts';
import { log, metrics, reportFailure } from '../observability/telemetry.ts';

const gzipAsync = promisify(gzip);

export interface PublisherOptions {
  intervalMs: number;
  pngIntervalMs: number;
  /** Objects of each kind kept by stores that prune (the local folder); S3 expires them by rule. */
  keep?: number;
}

export interface PublisherContext {
  store: Pick<BoardReader, 'snapshot'> & PublishedBoards & Pick<Leases, 'tryLease' | 'onLeaseReleased'>;
  objects: BoardObjects;
}

/** A stalled publisher's board is not redirected to: older than this, GET /api/board answers itself. */
export function publishedStaleAfterMs(intervalMs: number): number {
  return Math.max(5 * intervalMs, 10_000);
}

export class BoardPublisher {
  private last: PublishedBoard | null = null;
  private publishes = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  readonly lease: LeaseKeeper<HeldLease>;
  private unlisten: () => void = () => {};

  /** `source` gives the board without a store read when it can (null: read the store). */
  constructor(private readonly ctx: PublisherContext, private readonly options: PublisherOptions, private readonly source: () => BoardSnapshot | null = () => null) {
    this.lease = new LeaseKeeper((ttl) => ctx.store.tryLease('publish', ttl), { leaseMs: 3 * options.intervalMs, jitterMs: options.intervalMs });
  }

  /** Publishes the board now (if it changed since the last time) and returns what is published. */
  async publishOnce(now = Date.now()): Promise<PublishedBoard | null> {
    const snap = this.source() ?? (await this.ctx.store.snapshot());
    if (!snap) return null;
    const prev = this.last ?? (await this.ctx.store.published());
    const sameBoard = prev !== null && prev.epoch === snap.epoch && prev.seq === snap.seq && prev.width === snap.width && prev.height === snap.height;
    const head = { seq: snap.seq, epoch: snap.epoch, width: snap.width, height: snap.height };
    let board: PublishedBoard;
    if (sameBoard) {
      board = { ...prev, at: now }; // nothing new; a fresh `at` says the publisher is alive
    } else {
      const key = publishedKey(head, 'bin');
      await this.ctx.objects.put(key, await gzipAsync(snap.bytes, { level: 6 }), head);
      const keepPng = prev !== null && prev.epoch === snap.epoch && prev.width === snap.width && prev.height === snap.height;
      board = { ...head, path: `/${key}`, pngPath: keepPng ? prev.pngPath : null, at: now, pngAt: keepPng ? prev.pngAt : null };
      metrics.count('events', { name: 'board.published' });
    }
    const pngKey = publishedKey(head, 'png');
    if (board.pngPath !== `/${pngKey}` && (board.pngAt === null || now - board.pngAt >= this.options.pngIntervalMs)) {
      await this.ctx.objects.put(pngKey, await encodeBoardPng(snap.bytes, snap), head);
      board = { ...board, pngPath: `/${pngKey}`, pngAt: now };
    }
    await this.ctx.store.setPublished(board);
    this.last = board;
    if (++this.publishes % 20 === 0) await this.ctx.objects.prune(this.options.keep ?? 20);
    return board;
  }

  /** Publishes every intervalMs while this process holds the publish lock; stop() ends it. */
  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.lease.resume();
    this.unlisten = this.ctx.store.onLeaseReleased((name) => { if (name === 'publish') this.lease.released(); });
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      if (!(await this.lease.hold(Date.now())).lease) {
        this.last = null; // another process publishes; read its pointer if this one takes over
        return;
      }
      await this.publishOnce();
    } catch (err) {
      reportFailure('board-publish', err);
    } finally {
      this.running = false;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unlisten();
    while (this.running) await new Promise((r) => setTimeout(r, 5));
    await this.lease.release().catch((err: unknown) => reportFailure('board-publish-unlock', err));
    if (this.publishes > 0) log.info('board publishing stopped', { publishes: this.publishes });
  }
}
