// Turns the store's update feed into one pixel-batch frame per tick, built once for every
// client. Frames carry only consecutive runs of seqs: when the feed skips a seq (a lost
// pub/sub message, a Redis restart), the missing updates are fetched from the store's kept
// window before anything after them is sent.
import { decodePixelBatch, encodeBatchFromRecords, MAX_BATCH_PIXELS, pixelRecordAt } from '../core/protocol/pixel-batch.ts';
import type { BoardReader } from '../core/board-store/board-store.ts';
import { reportFailure } from '../core/observability/telemetry.ts';

export interface BroadcasterOptions {
  /** How long a gap may stand before the missing updates are fetched. */
  gapWaitMs: number;
  /** Updates fetched per store call while repairing. */
  repairPageSize?: number;
}

export interface BroadcastSink {
  /** A frame of consecutive updates, ready to send as is. */
  frame(batch: Uint8Array, lastSeq: number): void;
  /** Updates were lost for good (older than the kept window): clients must check their board. */
  resync(seq: number): void;
  /** The board was restored (a new epoch): clients must load it again. */
  reset(epoch: number, seq: number): void;
  /** The board grew: pixels and seqs are kept. */
  resize(width: number, height: number, seq: number): void;
}

export class Broadcaster {
  /** Pixel records (5 bytes) by seq, waiting for their turn. */
  private readonly waiting = new Map<number, Uint8Array>();
  private nextSeq = 1;
  private currentEpoch = 0;
  private currentSize = { width: 0, height: 0 };
  private gapSince: number | null = null;
  private repairing = false;
  /** Repairs run, and those that failed (each is retried at the next tick past the gap wait). */
  repairs = 0;
  repairFailures = 0;

  constructor(private readonly store: Pick<BoardReader, 'head' | 'updatesSince'>, private readonly sink: BroadcastSink, private readonly options: BroadcasterOptions) {}

  /** The last seq sent to clients (what a new client's hello reports). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The epoch of the board the frames belong to (what a new client's hello reports). */
  get epoch(): number {
    return this.currentEpoch;
  }

  /** The board's size as the clients were last told (what a new client's hello reports). */
  get size(): { width: number; height: number } {
    return this.currentSize;
  }

  async start(fallbackSize: { width: number; height: number }): Promise<void> {
    const head = await this.store.head();
    this.nextSeq = (head?.seq ?? 0) + 1;
    this.currentEpoch = head?.epoch ?? 0;
    this.currentSize = head ? { width: head.width, height: head.height } : fallbackSize;
  }

  /** The board grew. Frames still waiting hold pixels from before (they fit either size). */
  resize(width: number, height: number, seq: number): void {
    if (width === this.currentSize.width && height === this.currentSize.height) return;
    this.currentSize = { width, height };
    this.sink.resize(width, height, seq);
  }

  /** The board was restored: nothing waiting belongs to it any more. */
  reset(epoch: number, seq: number): void {
    this.waiting.clear();
    this.gapSince = null;
    this.nextSeq = seq + 1;
    this.currentEpoch = epoch;
    this.sink.reset(epoch, seq);
  }

  /** Feed input: a pixel batch as the store published it. */
  ingest(bytes: Uint8Array): void {
    let batch;
    try {
      batch = decodePixelBatch(bytes);
    } catch {
      return; // not ours to crash on; a gap check will fetch whatever this was
    }
    for (let i = 0; i < batch.count; i++) {
      const seq = batch.firstSeq + i;
      if (seq >= this.nextSeq) this.waiting.set(seq, pixelRecordAt(batch, i));
    }
  }

  /** The feed may have lost messages: fetch anything after what was sent. */
  async resync(): Promise<void> {
    await this.repair();
  }

  /**
   * One broadcast tick: send the consecutive run that is ready, and repair a gap that has stood
   * too long. Says whether a frame went out.
   */
  tick(now = Date.now()): boolean {
    let count = 0;
    while (count < MAX_BATCH_PIXELS && this.waiting.has(this.nextSeq + count)) count++;
    if (count > 0) {
      const records: Uint8Array[] = [];
      for (let i = 0; i < count; i++) {
        records.push(this.waiting.get(this.nextSeq + i)!);
        this.waiting.delete(this.nextSeq + i);
      }
      const frame = encodeBatchFromRecords(this.nextSeq, records);
      this.nextSeq += count;
      this.sink.frame(frame, this.nextSeq - 1);
    }
    if (this.waiting.size === 0) {
      this.gapSince = null;
    } else {
      this.gapSince ??= now;
      if (now - this.gapSince >= this.options.gapWaitMs) void this.repair();
    }
    return count > 0;
  }

  private async repair(): Promise<void> {
    if (this.repairing) return;
    this.repairing = true;
    this.repairs++;
    const page = this.options.repairPageSize ?? 10_000;
    try {
      // A restore while the feed was away shows only as a new epoch.
      const head = await this.store.head();
      if (head && head.epoch !== this.currentEpoch) {
        this.reset(head.epoch, head.seq);
        this.resize(head.width, head.height, head.seq);
        return;
      }
      // A resize message lost with the feed shows only in the head.
      if (head) this.resize(head.width, head.height, head.seq);
      for (;;) {
        const updates = await this.store.updatesSince(this.lastSeq, page);
        if (updates.status === 'gone') {
          const current = (await this.store.head())?.seq ?? this.lastSeq;
          const earliest = Math.min(current + 1, ...this.waiting.keys());
          for (const seq of this.waiting.keys()) if (seq < earliest) this.waiting.delete(seq);
          this.nextSeq = earliest;
          this.sink.resync(this.lastSeq);
          break;
        }
        this.ingest(updates.batch);
        if (decodePixelBatch(updates.batch).count < page) break;
        this.tick();
      }
      this.gapSince = null;
    } catch (err) {
      this.repairFailures++;
      reportFailure('gap-repair', err);
    } finally {
      this.repairing = false;
    }
  }
}
