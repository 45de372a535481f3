// The live-store side of templates and heavy reads: small interfaces, a Redis adapter
// (redis-community-store.ts, on the board store's connection) and an in-process twin
// (embedded-community-store.ts); both pass community-store.contract.ts.
//
// Template progress is kept by one tracker at a time (template-tracker.ts, holding a lease):
// it reads every update in seq order and commits counter changes fenced by its lease, so a
// tracker that lost its lease (a paused process) can never write stale counts.
import type { HeldLease, LeaseTry } from '../board-store/board-store.ts';

export interface TemplateMeta {
  id: string;
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Opaque pixels: the template's size in pixels to get right. */
  pixels: number;
  createdAt: number;
}

export interface TrackedTemplate extends TemplateMeta {
  /** width·height palette indices, row by row; NO_PIXEL where the template is transparent. */
  target: Uint8Array;
}

/** A target value meaning "not part of the template". */
export const NO_PIXEL = 255;

export interface TemplateCounts {
  /** Pixels currently correct; null until the tracker has counted this template. */
  correct: number | null;
  /** The seq the count is current to (null with `correct`). */
  seq: number | null;
  /** Correct → wrong transitions in the last hour. */
  griefedLastHour: number;
}

export interface TrackerCursor {
  seq: number;
  epoch: number;
}

/** The tracker's lease: its token fences the holder's commits. */
export type TrackerLease = HeldLease;

export interface ProgressCommit {
  /** A recount: these counts replace the stored ones (for every template when `replaceAll`). */
  set?: ReadonlyMap<string, number>;
  replaceAll?: boolean;
  /** Incremental changes to counts. */
  add?: ReadonlyMap<string, number>;
  /** Correct → wrong transitions seen, by template, counted in the minute of `at`. */
  griefs?: ReadonlyMap<string, number>;
  cursor: TrackerCursor;
  at: number;
}

export interface TemplateProgressStore {
  /** Makes a template known to the tracker (idempotent). */
  register(template: TrackedTemplate): Promise<void>;
  /** Grows whenever a template is registered. */
  version(): Promise<number>;
  /** The ids of every tracked template. */
  ids(): Promise<string[]>;
  /** The tracked templates with these ids, or all of them. */
  tracked(ids?: readonly string[]): Promise<TrackedTemplate[]>;
  meta(id: string): Promise<TemplateMeta | null>;
  counts(id: string, now: number): Promise<TemplateCounts>;
  cursor(): Promise<TrackerCursor | null>;
  /** The tracker's lease ('templates'), or how long its holder has left (Leases in board-store.ts). */
  tryLease(ttlMs: number): Promise<LeaseTry<TrackerLease>>;
  /** Applies a commit if `lease` is still held; false (and nothing changed) if it was lost. */
  commit(lease: TrackerLease, change: ProgressCommit): Promise<boolean>;
}

/** Pixels of a template turned from right to wrong: sent to the clients watching it. */
export interface GriefEvent {
  template: string;
  /** Transitions in this report. */
  count: number;
  /** Some of the pixels (at most GRIEF_PIXELS_REPORTED), board coordinates. */
  pixels: [number, number][];
  seq: number;
}

export const GRIEF_PIXELS_REPORTED = 20;

export interface TemplateEvents {
  publishGriefs(events: readonly GriefEvent[]): Promise<void>;
  subscribeGriefs(handler: (event: GriefEvent) => void): Promise<{ close(): Promise<void> }>;
}

export interface RateLimits {
  /**
   * Counts one use of `name` by `key` at `now`; refused (and nothing counted) when `limit` uses
   * were counted in the `windowMs` before it (any window, not a clock window: sliding-window.ts).
   */
  take(name: string, key: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

export interface CommunityStore extends TemplateProgressStore, TemplateEvents, RateLimits {
  close(): Promise<void>;
}

export const MINUTE = 60_000;

/** Grief counts are kept per minute: the last hour is the current minute and the 59 before it. */
export function griefMinutes(now: number): number[] {
  const current = Math.floor(now / MINUTE);
  return Array.from({ length: 60 }, (_, i) => current - i);
}
