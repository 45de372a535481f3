// This socket server's own copy of the board, kept at the seq of the last frame it sent, so it
// can state the board's digest (tile hashes) at exactly the point in the stream where every
// client's copy should equal it. Loaded from the store once (and again after a restore or lost
// updates), then kept up by the same frames the clients get: no store call per frame.
import type { BoardReader, BoardSnapshot } from '../core/board-store/board-store.ts';
import { colorAt, pixelIndex, resizeBoard, setColorAt, type BoardSize } from '../core/domain/board-codec.ts';
import { boardDigest, encodeDigest, tileCount, tileOf, DIGEST_TILE } from '../core/protocol/board-digest.ts';
import { decodePixelBatch, forEachPixel } from '../core/protocol/pixel-batch.ts';
import { encodeServerMessage, type DigestMessage } from '../core/protocol/messages.ts';
import { textFrame } from './framed-send.ts';
import { reportFailure } from '../core/observability/telemetry.ts';

export class BoardMirror {
  private board: Uint8Array | null = null;
  private size: BoardSize = { width: 0, height: 0 };
  private seq = 0;
  private epoch = 0;
  private hashes: Uint32Array | null = null;
  private dirty: Uint8Array = new Uint8Array(0);
  private cached: DigestMessage | null = null;
  private framed: { message: DigestMessage; frame: Buffer } | null = null;
  private loading: Promise<void> | null = null;
  /** Loads from the store, and reloads after lost updates or a restore. */
  loads = 0;

  constructor(private readonly store: Pick<BoardReader, 'snapshot' | 'updatesSince'>) {}

  /**
   * Loads the board as of `sentSeq` (the last seq the clients were sent) in `epoch`. A snapshot
   * newer than that is fine (frames up to it are skipped); an older one is brought up from the
   * store's kept updates. On failure the mirror stays unloaded and states no digest.
   */
  load(sent: () => { seq: number; epoch: number }): Promise<void> {
    this.loading ??= this.loadOnce(sent).catch((err: unknown) => {
      this.board = null;
      reportFailure('board-mirror', err);
    }).finally(() => { this.loading = null; });
    return this.loading;
  }

  private async loadOnce(sent: () => { seq: number; epoch: number }): Promise<void> {
    this.board = null;
    const snap = await this.store.snapshot();
    if (!snap || snap.epoch !== sent().epoch) return;
    this.size = { width: snap.width, height: snap.height };
    this.seq = snap.seq;
    this.epoch = snap.epoch;
    const board = snap.bytes.slice();
    this.board = board;
    this.allDirty();
    this.loads++;
    // Frames after the snapshot that went out before it arrived: fetch them.
    const behind = sent().seq - this.seq;
    if (behind > 0) {
      const kept = await this.store.updatesSince(this.seq, behind);
      if (kept.status !== 'ok') throw new Error('the updates after the snapshot are no longer kept');
      this.apply(kept.batch);
    }
  }

  /** A frame as sent to clients (consecutive seqs). A frame that skips seqs leaves the mirror unloaded. */
  apply(frame: Uint8Array): void {
    const board = this.board;
    if (!board) return;
    const batch = decodePixelBatch(frame);
    if (batch.firstSeq > this.seq + 1) {
      this.board = null;
      return;
    }
    forEachPixel(batch, (seq, x, y, color) => {
      if (seq <= this.seq) return;
      this.seq = seq;
      if (x >= this.size.width || y >= this.size.height) return;
      const i = pixelIndex(this.size, x, y);
      if (colorAt(board, i) === color) return;
      setColorAt(board, i, color);
      this.dirty[tileOf(this.size, x, y)] = 1;
    });
  }

  resize(width: number, height: number): void {
    if (!this.board) return;
    this.board = resizeBoard(this.board, this.size, { width, height });
    this.size = { width, height };
    this.allDirty();
  }

  /** A copy of the board at `sentSeq` (to publish), or null when the mirror is not there. */
  copyAt(sentSeq: number): BoardSnapshot | null {
    if (!this.board || this.seq !== sentSeq) return null;
    return { bytes: this.board.slice(), seq: this.seq, epoch: this.epoch, width: this.size.width, height: this.size.height };
  }

  get loaded(): boolean {
    return this.board !== null || this.loading !== null;
  }

  /** Lost updates or a restore: the copy is no longer the clients'. */
  invalidate(): void {
    this.board = null;
  }

  /**
   * The digest at `sentSeq`, or null when the mirror is not there (not loaded, or still ahead of
   * the frames sent). Recomputes only tiles changed since the last one; made once per seq.
   */
  digest(sentSeq: number): DigestMessage | null {
    if (!this.board || this.seq !== sentSeq) return null;
    if (this.cached && this.cached.seq === sentSeq && this.cached.epoch === this.epoch && this.cached.width === this.size.width) return this.cached;
    this.hashes = boardDigest(this.board, this.size, this.hashes ?? undefined, this.dirty);
    this.dirty.fill(0);
    this.cached = {
      type: 'digest', epoch: this.epoch, seq: this.seq, width: this.size.width, height: this.size.height, tile: DIGEST_TILE, hashes: encodeDigest(this.hashes),
    };
    return this.cached;
  }

  /** The digest as a text frame, framed once for every client (null as for digest()). */
  digestFrame(sentSeq: number): Buffer | null {
    const digest = this.digest(sentSeq);
    if (!digest) return null;
    if (this.framed?.message !== digest) this.framed = { message: digest, frame: textFrame(encodeServerMessage(digest)) };
    return this.framed.frame;
  }

  private allDirty(): void {
    this.hashes = null;
    this.cached = null;
    this.dirty = new Uint8Array(tileCount(this.size)).fill(1);
  }
}
