// An accepted write, as the live store and persistence record it (shared by both).
import type { PixelWrite } from './pixel-write.ts';

export interface Placement extends PixelWrite {
  seq: number;
  userId: string;
  placedAt: number;
  /**
   * Write timestamp (µs) for persistence: grows with seq and stays near wall-clock time, so
   * Cassandra's last-write-wins keeps the highest seq of a pixel whatever order writes arrive in
   * (Keyspaces accepts client timestamps from 2 days ago to 5 minutes ahead only).
   */
  version: number;
}

/** A user's last placement, to restore a running cooldown. */
export interface Cooldown {
  userId: string;
  placedAt: number;
}
