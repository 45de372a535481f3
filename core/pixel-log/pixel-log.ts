// Durable record of every accepted placement: the current state of each pixel, per-pixel
// history and each user's last placement. Cassandra / Amazon Keyspaces in production, an
// append-only file for the one-command local run; both pass pixel-log.contract.ts.
import type { Cooldown, Placement } from '../domain/placement.ts';

export interface PixelLog {
  /** Durable when the promise resolves. Idempotent: recording the same placement twice is harmless. */
  record(placement: Placement): Promise<void>;
  /** The latest placement of a pixel, or null if it was never placed. */
  pixel(x: number, y: number): Promise<Placement | null>;
  /** A pixel's placements, newest first. */
  history(x: number, y: number, limit: number): Promise<Placement[]>;
  lastPlacement(userId: string): Promise<number | null>;
  /** Visits the current placement of every placed pixel (for rebuilds), in no particular order. */
  scanPixels(visit: (p: Placement) => void, onProgress?: (visited: number) => void): Promise<void>;
  /** Users whose last placement is at or after `since` (to restore cooldowns). */
  placementsSince(since: number): Promise<Cooldown[]>;
  /**
   * The seq a restore must continue after at least, beyond what `scanPixels` shows: a log that
   * lost records to damage cannot name their seqs, but it can bound them.
   */
  seqFloor(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
