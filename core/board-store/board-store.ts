// The live board's ports: small interfaces, one job each. Redis in production implements them
// all (so the write script stays one atomic script), an in-process twin does for the
// one-command local run; both pass one contract suite (board-store.contract.ts). Code depends
// on the interfaces it needs, not on the whole store.
import type { BoardSize } from '../domain/board-codec.ts';
import type { PixelWrite } from '../domain/pixel-write.ts';
import type { Cooldown, Placement } from '../domain/placement.ts';
import type { BoardStatus, IpBan, LiveModerationState, ProtectedArea, Role, UserBan } from '../domain/moderation.ts';
import type { PublishedBoard } from '../publish/published-board.ts';

export type { Cooldown, Placement } from '../domain/placement.ts';

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
  | { status: 'placed'; placement: Placement; oldestPendingAt: number | null; cooldownMs?: number }
  /** The idempotency key was used before: this is the placement it made (maybe at other coordinates). */
  | { status: 'duplicate'; placement: Placement }
  | { status: 'cooldown'; retryAfterMs: number }
  | { status: 'ip_limited'; retryAfterMs: number }
  | { status: 'revoked' }
  /** A rebuild holds the board: writes wait until it is restored. */
  | { status: 'fenced'; retryAfterMs: number }
  /** x or y is outside the board (its size now: it may have grown since the caller looked). */
  | { status: 'out_of_bounds'; width: number; height: number }
  | { status: 'no_board' }
  /** Moderation (checked in the same atomic step): the board is not open, the writer or address is banned, the pixel is protected. */
  | { status: 'closed'; state: BoardStatus['state']; message: string | null; opensAt: number | null }
  | { status: 'banned'; until: number | null }
  /** A shadow-banned writer: nothing changed; `placement` is what the writer is told. */
  | { status: 'shadow'; placement: Placement; cooldownMs: number }
  | { status: 'protected' };

/** What a rebuild restores. */
export interface BoardState {
  board: Uint8Array;
  seq: number;
  /** The highest write version persisted. */
  version: number;
  /** The board's size (it may have grown during the event); the configured size when absent. */
  size?: BoardSize;
}

/**
 * Which restore of the board this is. Every restore gets a new epoch, so a cache or a client
 * holding bytes of an earlier one notices even when the seq is the same.
 */
export interface BoardHead {
  seq: number;
  epoch: number;
  /** The board's size now: it starts as configured and may grow during an event (resize). */
  width: number;
  height: number;
}

export interface BoardSnapshot extends BoardHead {
  bytes: Uint8Array;
}

/** A pixel batch of the updates after a seq, or 'gone' when they are no longer kept. */
export type UpdatesSince = { status: 'ok'; batch: Uint8Array; lastSeq: number } | { status: 'gone' };

/** Reading the board: what the HTTP read path and the socket servers need. */
export interface BoardReader {
  /** Board bytes, seq and epoch from one consistent snapshot; null if there is no board. */
  snapshot(): Promise<BoardSnapshot | null>;
  head(): Promise<BoardHead | null>;
  updatesSince(seq: number, limit: number): Promise<UpdatesSince>;
}

/** Changing the board: the atomic write, running cooldowns, and a rebuild's restore. */
export interface BoardWriter {
  /**
   * Atomically: refuse while a rebuild holds the board or the session is revoked, answer a
   * repeated idempotency key with its placement, check cooldown and IP cap, set the pixel,
   * assign the next seq, record it as pending persistence and publish it.
   */
  place(request: PlaceRequest): Promise<PlaceOutcome>;
  /** When the user last placed, if still within the cooldown. */
  cooldownStart(userId: string): Promise<number | null>;
  /** Replaces the board, seq and cooldowns under a new epoch; kept updates are dropped. */
  restore(state: BoardState, cooldowns: readonly Cooldown[], now: number): Promise<BoardHead>;
  /**
   * Grows the board to `to`, keeping every pixel where it is, the seq and the epoch, and tells
   * the feed. Only with the 'rebuild' lock held (writes are fenced meanwhile): see resizeBoardLive.
   */
  resize(to: BoardSize): Promise<BoardHead>;
}

/** Placements applied live whose persistence is not yet confirmed. */
export interface PersistenceOutbox {
  /** The placement is durable in persistence: forget it. */
  markPersisted(placement: Placement): Promise<void>;
  /** Pending placements placed before `placedBefore`, oldest first. */
  pendingPersistence(placedBefore: number, limit: number): Promise<Placement[]>;
}

export interface FeedHandlers {
  /** A pixel batch (usually of one pixel), in seq order as the store applied them. */
  onBatch(batch: Uint8Array): void;
  /** The board was restored: a new epoch whose last seq is `seq`. Earlier updates no longer apply. */
  onReset(epoch: number, seq: number): void;
  /** The board grew to width × height after `seq`; pixels and seqs are kept. */
  onResize(width: number, height: number, seq: number): void;
  /** The feed was interrupted and may have lost messages: the listener should check for gaps. */
  onResync(): void;
  /** An admin changed the board's state or cooldown. */
  onBoardStatus?(status: BoardStatus): void;
}

export interface FeedSubscription {
  close(): Promise<void>;
}

/** Every change to the board, as it happens. */
export interface UpdateFeed {
  subscribe(handlers: FeedHandlers): Promise<FeedSubscription>;
}

/** Who may start a session, and whose sessions still count. */
export interface SessionGate {
  /** Counts a session creation against the IP's hourly cap; false (and nothing counted) when over it. */
  takeSessionSlot(ip: string, now: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /** Sessions of `userId` (or of everyone, for null) issued at or before `at` stop working. */
  revokeSessions(userId: string | null, at: number): Promise<void>;
  /** The latest revocation covering the user's sessions (theirs or everyone's), or null. */
  sessionsRevokedAt(userId: string): Promise<number | null>;
}

/** Requests that reach the origin uncached (a CDN answers the rest), counted per address. */
export interface ReadLimits {
  /** Counts one uncached read against the address's cap for this minute; false (and nothing counted) when over it. */
  takeReadSlot(ip: string, now: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

/** The newest board published for the CDN (core/publish): where GET /api/board redirects. */
export interface PublishedBoards {
  published(): Promise<PublishedBoard | null>;
  setPublished(board: PublishedBoard): Promise<void>;
}

export type LockName = 'rebuild' | 'drain' | 'snapshot' | 'restore-job' | 'moderation' | 'rollback';

/** A lock held by this process until released or until its time runs out. */
export interface StoreLock {
  /** Extends the lock; false if it was lost (expired and taken by another). */
  renew(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

/** Locks across processes. Holding 'rebuild' fences writes. */
export interface Locks {
  tryLock(name: LockName, ttlMs: number): Promise<StoreLock | null>;
}

/** Work that every socket server runs and one does at a time, holding a lease it renews. */
export type LeaseName = 'relay' | 'publish' | 'templates';
export const LEASE_NAMES: readonly LeaseName[] = ['relay', 'publish', 'templates'];

/** Update reads per address per minute when a store is not told (READS_PER_IP_PER_MINUTE's default). */
export const DEFAULT_READS_PER_IP_PER_MINUTE = 120;

export interface HeldLease extends StoreLock {
  /** What fences the holder's writes (the template tracker's commits). */
  readonly token: string;
}

/** A lease taken, or how long its holder has left (ms). */
export type LeaseTry<L> = { lease: L; heldForMs: 0 } | { lease: null; heldForMs: number };

/**
 * Leases across processes. A follower is told how long the holder has left, so it waits that long
 * instead of asking every tick (200 socket servers asking every 50 ms kept 7–8 % of a Redis core
 * busy with nobody writing), and hears when a holder lets go, so a deploy's hand-over stays quick.
 */
export interface Leases {
  tryLease(name: LeaseName, ttlMs: number): Promise<LeaseTry<HeldLease>>;
  /** Calls `listener` with the name of each lease a holder releases, in any process; returns what stops it. */
  onLeaseReleased(listener: (name: LeaseName) => void): () => void;
}

export interface Lifecycle {
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A pixel a moderator's change sets; with `expect`, only if the pixel still has that colour. */
export interface ModeratorPixel {
  x: number;
  y: number;
  color: number;
  expect?: number;
}

export type ModeratorPlaceOutcome =
  /** One entry per pixel asked for: its placement, or null where `expect` no longer held. */
  | { status: 'placed'; placements: (Placement | null)[] }
  | { status: 'fenced'; retryAfterMs: number }
  | { status: 'no_board' };

/**
 * The live copies of what moderators set, which the write script reads in the same atomic step
 * as the write (persistence has the originals; a rebuild puts them back with `restoreModeration`).
 */
export interface LiveModeration {
  /** The state and cooldown in force (the configured cooldown until an admin changes it). */
  boardStatus(): Promise<BoardStatus>;
  /** Sets the state and tells the feed (socket clients hear it at once). */
  setBoardStatus(status: BoardStatus): Promise<void>;
  /** Replaces the protected areas. */
  setProtectedAreas(areas: readonly ProtectedArea[]): Promise<void>;
  setUserBan(userId: string, ban: UserBan | null): Promise<void>;
  /** Replaces the address bans. */
  setIpBans(bans: readonly IpBan[]): Promise<void>;
  setRole(userId: string, role: Role | null): Promise<void>;
  /** Replaces all of the above at once. */
  restoreModeration(state: LiveModerationState): Promise<void>;
  /**
   * Moderators' changes (rollbacks, fills): ordinary placements with their own seqs, fed and
   * kept pending like any other, but without cooldown, caps, bans or protection. Fenced by a rebuild.
   */
  placeAsModerator(pixels: readonly ModeratorPixel[], userId: string, now: number): Promise<ModeratorPlaceOutcome>;
  /** Counts a report against the user's hourly cap; false (and nothing counted) when over it. */
  takeReportSlot(userId: string, perHour: number, now: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

/** Everything a live-board adapter provides. */
export interface BoardStore extends BoardReader, BoardWriter, PersistenceOutbox, UpdateFeed, SessionGate, ReadLimits, PublishedBoards, Locks, Leases, Lifecycle, LiveModeration {}
