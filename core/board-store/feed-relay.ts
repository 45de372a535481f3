// One relay for the whole socket tier: the server holding the relay lease reads the update
// stream every tick and publishes what is new as one batch, so a write costs Redis the same
// whether 1 or 200 socket servers subscribe (the write script no longer publishes). If the
// leader dies its lease runs out (RELAY_LEASE_MS) and another server takes over from where its
// own feed is: a few updates may be published twice, which subscribers ignore by seq. A leader
// that stops lets go of the lease, and the others hear of it (LeaseKeeper).
import type { BoardReader, HeldLease, Leases } from './board-store.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import { decodePixelBatch } from '../protocol/pixel-batch.ts';
import { log, reportFailure } from '../observability/telemetry.ts';

export interface RelaySource extends Pick<BoardReader, 'head' | 'updatesSince'>, Pick<Leases, 'tryLease' | 'onLeaseReleased'> {
  publishBatch(batch: Uint8Array): Promise<void>;
}

export interface FeedRelayOptions {
  tickMs: number;
  leaseMs: number;
  /** Updates read per stream call. */
  pageSize: number;
}

export class FeedRelay {
  readonly stats = { batches: 0, updates: 0, terms: 0 };
  readonly lease: LeaseKeeper<HeldLease>;
  private unlisten: (() => void) | null = null;
  private last = 0;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;

  /**
   * `fromSeq`: where this server's own feed is (what it has already seen published).
   * `relayed`: each batch as it is read, before it is published: the relaying server's own
   * clients need not wait for the channel to echo it back (the echo is then a duplicate,
   * which subscribers ignore by seq).
   */
  constructor(
    private readonly source: RelaySource, private readonly options: FeedRelayOptions, private readonly fromSeq: () => number,
    private readonly relayed: (batch: Uint8Array) => void = () => {},
  ) {
    this.lease = new LeaseKeeper((ttl) => source.tryLease('relay', ttl), { leaseMs: options.leaseMs, jitterMs: options.tickMs });
    this.listen();
  }

  private listen(): void {
    this.unlisten ??= this.source.onLeaseReleased((name) => { if (name === 'relay') this.lease.released(); });
  }

  get leading(): boolean {
    return this.lease.lease !== null;
  }

  start(): void {
    this.stopped = false;
    this.lease.resume();
    this.listen();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.unlisten?.();
    this.unlisten = null;
    await this.ticking; // a tick under way finishes before the lease goes
    await this.lease.release().catch((err: unknown) => reportFailure('relay-release', err));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.ticking = this.tick().catch((err: unknown) => reportFailure('relay', err)).finally(() => {
        this.ticking = null;
        this.schedule(Math.max(this.options.tickMs - (Date.now() - started), 1));
      });
    }, delayMs);
  }

  /** One tick: take or keep the lease, then publish what the stream holds past the last seq published. */
  async tick(now = Date.now()): Promise<void> {
    const turn = await this.lease.hold(now);
    if (turn.lost) log.warn('the relay lease was lost; another server relays now');
    if (!turn.lease) return;
    if (turn.gained) {
      this.last = this.fromSeq();
      this.stats.terms++;
      log.info('this server now relays the update feed', { fromSeq: this.last });
    }
    for (;;) {
      const updates = await this.source.updatesSince(this.last, this.options.pageSize);
      if (updates.status === 'gone') {
        // The board was restored (seq moved back, or on) or the stream was trimmed past us:
        // continue from now; subscribers repair or reload on their own.
        this.last = (await this.source.head())?.seq ?? this.last;
        return;
      }
      const count = decodePixelBatch(updates.batch).count;
      if (count === 0) return;
      this.relayed(updates.batch);
      await this.source.publishBatch(updates.batch);
      this.last = updates.lastSeq;
      this.stats.batches++;
      this.stats.updates += count;
      if (count < this.options.pageSize) return;
    }
  }
}
