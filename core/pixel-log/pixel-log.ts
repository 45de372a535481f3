// Durable record of every accepted placement: each pixel's history (and so its latest), each
// user's last placement, a journal in seq order for restores and exports, and the size the
// board grew to. Cassandra /
// Amazon Keyspaces in production, an append-only file for the one-command local run; both pass
// pixel-log.contract.ts.
import type { Placement } from '../domain/placement.ts';
import type { BoardSize } from '../domain/board-codec.ts';
import type { Rect } from '../domain/moderation.ts';

/** Placements inside a rectangle (corners included) placed within [from, to] (ms), by one user or all. */
export interface AreaQuery extends Rect {
  from: number;
  to: number;
  userId?: string | null;
  limit: number;
}

export interface AreaPlacements {
  /** Newest (highest seq) first, at most `limit`. */
  placements: Placement[];
  /** More placements matched than `limit`. */
  truncated: boolean;
}

export interface PixelLog {
  /** Durable when the promise resolves. Idempotent: recording the same placement twice is harmless. */
  record(placement: Placement): Promise<void>;
  /** The latest placement of a pixel, or null if it was never placed. */
  pixel(x: number, y: number): Promise<Placement | null>;
  /** A pixel's placements, newest first. */
  history(x: number, y: number, limit: number): Promise<Placement[]>;
  lastPlacement(userId: string): Promise<number | null>;
  /**
   * Visits every placement with afterSeq < seq ≤ upToSeq in seq order (each seq once), reading
   * only those: a restore replays the placements after a snapshot, an export reads them all.
   */
  replay(afterSeq: number, upToSeq: number, visit: (p: Placement) => void): Promise<void>;
  /**
   * The seq a restore must continue after at least: the highest seq persisted, and for a log
   * that lost records to damage, a bound on the seqs they could have held.
   */
  seqFloor(): Promise<number>;
  /** The moderators' query, reading only the parts of the log the area and window touch. */
  placementsInArea(query: AreaQuery): Promise<AreaPlacements>;
  /** The size the board was last grown to (a live resize), or null if it never was: a restore makes the board this size. */
  boardSize(): Promise<BoardSize | null>;
  /** Durable when the promise resolves; recorded before the live board grows. */
  recordBoardSize(size: BoardSize): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
