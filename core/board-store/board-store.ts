// The live board: pixels, sequence number, cooldowns, recent updates and the update feed.
// Redis in production, an in-process twin for the one-command local run; both pass one
// contract suite (board-store.contract.ts).
import type { PixelWrite } from '../domain/pixel-write.ts';

/** An accepted write, as the live store and persistence record it. */
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

export interface PlaceRequest extends PixelWrite {
  userId: string;
  ip: string;
  now: number;
}

export type PlaceOutcome =
  | { status: 'placed'; placement: Placement; oldestPendingAt: number | null }
  | { status: 'cooldown'; retryAfterMs: number }
  | { status: 'ip_limited'; retryAfterMs: number }
  | { status: 'no_board' };

/** What a rebuild restores. */
export interface BoardState {
  board: Uint8Array;
  seq: number;
  /** The highest write version persisted. */
  version: number;
}

export interface BoardSnapshot {
  bytes: Uint8Array;
  seq: number;
}

/** A pixel batch of the updates after a seq, or 'gone' when they are no longer kept. */
export type UpdatesSince = { status: 'ok'; batch: Uint8Array; lastSeq: number } | { status: 'gone' };

export interface Cooldown {
  userId: string;
  placedAt: number;
}

export interface FeedHandlers {
  /** A pixel batch (usually of one pixel), in seq order as the store applied them. */
  onBatch(batch: Uint8Array): void;
  /** The feed was interrupted and may have lost messages: the listener should check for gaps. */
  onResync(): void;
}

export interface FeedSubscription {
  close(): Promise<void>;
}

export interface BoardStore {
  /** Atomically: check cooldown and IP cap, set the pixel, assign the next seq, record and publish it. */
  place(request: PlaceRequest): Promise<PlaceOutcome>;
  /** The placement is durable in persistence: forget it from the pending set. */
  markPersisted(placement: Placement): Promise<void>;
  /** Placements applied live whose persistence was not confirmed, placed before `placedBefore`. */
  pendingPersistence(placedBefore: number, limit: number): Promise<Placement[]>;
  /** Board bytes and the seq of the last write in them, from one consistent snapshot; null if no board. */
  snapshot(): Promise<BoardSnapshot | null>;
  currentSeq(): Promise<number | null>;
  updatesSince(seq: number, limit: number): Promise<UpdatesSince>;
  /** When the user last placed, if still within the cooldown. */
  cooldownStart(userId: string): Promise<number | null>;
  /** Counts a session creation against the IP's hourly cap; false (and nothing counted) when over it. */
  takeSessionSlot(ip: string, now: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /** Replaces the board, seq and cooldowns (rebuild); the kept updates are dropped. */
  restore(state: BoardState, cooldowns: readonly Cooldown[], now: number): Promise<void>;
  /** A lock so only one process rebuilds at a time; returns a release function or null if held. */
  lockRebuild(ttlMs: number): Promise<(() => Promise<void>) | null>;
  subscribe(handlers: FeedHandlers): Promise<FeedSubscription>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Raised by adapters when the backing store cannot be reached; handlers answer 503. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
