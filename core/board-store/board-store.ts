// The live board: pixels, sequence number, cooldowns, recent updates and the update feed.
// Redis in production, an in-process twin for the one-command local run; both pass one
// contract suite (board-store.contract.ts).
import type { PixelWrite } from '../domain/pixel-write.ts';

export { StoreUnavailableError } from '../errors.ts';

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
  /** When the caller's session was issued; a session issued at or before a revocation is refused. */
  sessionIssuedAt?: number;
  /** A retry carrying the same key gets the original placement back instead of placing twice. */
  idempotencyKey?: string | null;
}

export type PlaceOutcome =
  | { status: 'placed'; placement: Placement; oldestPendingAt: number | null }
  /** The idempotency key was used before: this is the placement it made (maybe at other coordinates). */
  | { status: 'duplicate'; placement: Placement }
  | { status: 'cooldown'; retryAfterMs: number }
  | { status: 'ip_limited'; retryAfterMs: number }
  | { status: 'revoked' }
  /** A rebuild holds the board: writes wait until it is restored. */
  | { status: 'fenced'; retryAfterMs: number }
  | { status: 'no_board' };

/** What a rebuild restores. */
export interface BoardState {
  board: Uint8Array;
  seq: number;
  /** The highest write version persisted. */
  version: number;
}

/**
 * Which restore of the board this is. Every restore gets a new epoch, so a cache or a client
 * holding bytes of an earlier one notices even when the seq is the same.
 */
export interface BoardHead {
  seq: number;
  epoch: number;
}

export interface BoardSnapshot extends BoardHead {
  bytes: Uint8Array;
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
  /** The board was restored: a new epoch whose last seq is `seq`. Earlier updates no longer apply. */
  onReset(epoch: number, seq: number): void;
  /** The feed was interrupted and may have lost messages: the listener should check for gaps. */
  onResync(): void;
}

export interface FeedSubscription {
  close(): Promise<void>;
}

export type LockName = 'rebuild' | 'drain';

/** A lock held by this process until released or until its time runs out. */
export interface StoreLock {
  /** Extends the lock; false if it was lost (expired and taken by another). */
  renew(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

export interface BoardStore {
  /**
   * Atomically: refuse while a rebuild holds the board or the session is revoked, answer a
   * repeated idempotency key with its placement, check cooldown and IP cap, set the pixel,
   * assign the next seq, record and publish it.
   */
  place(request: PlaceRequest): Promise<PlaceOutcome>;
  /** The placement is durable in persistence: forget it from the pending set. */
  markPersisted(placement: Placement): Promise<void>;
  /** Placements applied live whose persistence was not confirmed, placed before `placedBefore`. */
  pendingPersistence(placedBefore: number, limit: number): Promise<Placement[]>;
  /** Board bytes, seq and epoch from one consistent snapshot; null if no board. */
  snapshot(): Promise<BoardSnapshot | null>;
  head(): Promise<BoardHead | null>;
  currentSeq(): Promise<number | null>;
  updatesSince(seq: number, limit: number): Promise<UpdatesSince>;
  /** When the user last placed, if still within the cooldown. */
  cooldownStart(userId: string): Promise<number | null>;
  /** Counts a session creation against the IP's hourly cap; false (and nothing counted) when over it. */
  takeSessionSlot(ip: string, now: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /** Sessions of `userId` (or of everyone, for null) issued at or before `at` stop working. */
  revokeSessions(userId: string | null, at: number): Promise<void>;
  /** The latest revocation covering the user's sessions (theirs or everyone's), or null. */
  sessionsRevokedAt(userId: string): Promise<number | null>;
  /** Replaces the board, seq and cooldowns under a new epoch (rebuild); kept updates are dropped. */
  restore(state: BoardState, cooldowns: readonly Cooldown[], now: number): Promise<BoardHead>;
  /** A named lock across processes; null when another holds it. Holding 'rebuild' fences writes. */
  tryLock(name: LockName, ttlMs: number): Promise<StoreLock | null>;
  subscribe(handlers: FeedHandlers): Promise<FeedSubscription>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
