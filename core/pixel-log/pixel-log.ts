// Durable record of every accepted placement: each pixel's history (and so its latest), each
// user's last placement, and a journal in seq order for restores and exports. Cassandra /
// Amazon Keyspaces in production, an append-only file for the one-command local run; both pass
// pixel-log.contract.ts.
import type { Placement } from '../domain/placement.ts';

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
  ping(): Promise<void>;
  close(): Promise<void>;
}
