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

/**
 * The version of a placement at `now` after one of version `previous`: one more, or the clock in
 * µs when that is later. Every store makes versions by this rule (the Lua write scripts, which
 * cannot import it, write it out; the Redis store's integration tests compare their placements).
 */
export function nextVersion(previous: number, now: number): number {
  return Math.max(previous + 1, now * 1000);
}

/** A user's last placement, to restore a running cooldown. */
export interface Cooldown {
  userId: string;
  placedAt: number;
}
