// A client's copy of the board, with no I/O and no timers: load a board, apply pixel batches in
// seq order (frames may arrive early, late or twice), say where a gap is, and check a board
// fetched from the server against this copy at the same seq.
import { colorAt, createBoard, pixelIndex, resizeBoard, setColorAt } from '../../core/domain/board-codec.ts';
import type { TileRect } from '../../core/protocol/board-digest.ts';
import { forEachPixel, type PixelBatch } from '../../core/protocol/pixel-batch.ts';
import { RecentUpdates } from './recent-updates.ts';

export interface LoadedBoard {
  bytes: Uint8Array;
  seq: number;
  epoch: number;
  width: number;
  height: number;
}

export type PixelVisitor = (seq: number, x: number, y: number, color: number) => void;

export class BoardReplica {
  board: Uint8Array | null = null;
  seq = 0;
  epoch = 0;
  width = 0;
  height = 0;
  private buffered: PixelBatch[] = [];
  private readonly recent: RecentUpdates;

  constructor(recentKept = 50_000) {
    this.recent = new RecentUpdates(recentKept);
  }

  /** Takes a board as fetched (empty bytes: a board with nothing placed). */
  load(loaded: LoadedBoard): void {
    this.width = loaded.width;
    this.height = loaded.height;
    this.board = loaded.bytes.length ? loaded.bytes : createBoard({ width: loaded.width, height: loaded.height });
    this.seq = loaded.seq;
    this.epoch = loaded.epoch;
    this.recent.clear();
  }

  /** Drops frames held for the board being replaced. */
  clearBuffered(): void {
    this.buffered = [];
  }

  /** Holds a frame until it can be applied in seq order. */
  enqueue(batch: PixelBatch): void {
    this.buffered.push(batch);
  }

  /**
   * Applies held frames in seq order. Says how many frames brought new pixels, and the seq to
   * repair up to when a frame starts past seq + 1 (a gap; null when everything held was applied).
   */
  applyReady(onPixel: PixelVisitor): { applied: number; gapTo: number | null } {
    let applied = 0;
    if (!this.board) return { applied, gapTo: null };
    this.buffered.sort((a, b) => a.firstSeq - b.firstSeq);
    while (this.buffered.length) {
      const batch = this.buffered[0]!;
      if (this.isGap(batch)) return { applied, gapTo: batch.firstSeq - 1 };
      this.buffered.shift();
      if (this.applyBatch(batch, onPixel) > 0) applied++;
    }
    return { applied, gapTo: null };
  }

  /** Whether the batch starts past seq + 1: the pixels between are missing. */
  isGap(batch: PixelBatch): boolean {
    return batch.firstSeq > this.seq + 1;
  }

  /** Applies the pixels of a batch that are newer than our seq (the batch must not start past seq + 1). Returns how many. */
  applyBatch(batch: PixelBatch, onPixel: PixelVisitor): number {
    const board = this.board;
    if (!board) return 0;
    const size = { width: this.width, height: this.height };
    let applied = 0;
    forEachPixel(batch, (seq, x, y, color) => {
      if (seq <= this.seq) return;
      if (x < this.width && y < this.height) setColorAt(board, pixelIndex(size, x, y), color);
      this.seq = seq;
      this.recent.push(seq, x, y, color);
      onPixel(seq, x, y, color);
      applied++;
    });
    return applied;
  }

  /**
   * Compares a board fetched from the server at `fetchedSeq` (≤ ours) with this copy: the
   * fetched one is brought to our seq with the updates applied since, then compared. Differing
   * pixels are taken from it. Returns how many bytes differed, or null when it cannot tell (the
   * updates since then are no longer kept, or the sizes differ).
   */
  reconcile(fetched: Uint8Array, fetchedSeq: number): number | null {
    if (!this.board || fetchedSeq > this.seq) return null;
    const size = { width: this.width, height: this.height };
    const complete = this.recent.replay(fetchedSeq, this.seq, (x, y, color) => setColorAt(fetched, pixelIndex(size, x, y), color));
    if (!complete || fetched.length !== this.board.length) return null;
    let differing = 0;
    for (let i = 0; i < fetched.length; i++) if (fetched[i] !== this.board[i]) differing++;
    if (differing > 0) this.board.set(fetched);
    return differing;
  }

  /** The board grew: same pixels and seq, the new area empty. */
  resize(width: number, height: number): void {
    if (!this.board || (width === this.width && height === this.height)) return;
    this.board = resizeBoard(this.board, this, { width, height });
    this.width = width;
    this.height = height;
  }

  /**
   * Like reconcile, for one tile fetched at `fetchedSeq` (≤ ours): brought to our seq with the
   * updates applied since, compared, and differing pixels taken from it. Returns how many pixels
   * differed, or null when it cannot tell.
   */
  reconcileTile(rect: TileRect, tile: Uint8Array, fetchedSeq: number): number | null {
    const board = this.board;
    if (!board || fetchedSeq > this.seq || rect.x + rect.width > this.width || rect.y + rect.height > this.height) return null;
    const inTile = (x: number, y: number) => x >= rect.x && y >= rect.y && x < rect.x + rect.width && y < rect.y + rect.height;
    const complete = this.recent.replay(fetchedSeq, this.seq, (x, y, color) => {
      if (inTile(x, y)) setColorAt(tile, (y - rect.y) * rect.width + (x - rect.x), color);
    });
    if (!complete) return null;
    let differing = 0;
    for (let y = 0, o = 0; y < rect.height; y++) {
      const row = (rect.y + y) * this.width + rect.x;
      for (let x = 0; x < rect.width; x++, o++) {
        const color = colorAt(tile, o);
        if (colorAt(board, row + x) !== color) {
          setColorAt(board, row + x, color);
          differing++;
        }
      }
    }
    return differing;
  }
}
