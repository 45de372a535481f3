// Templates' live state and rate limits in this process: for `npm start` and fast tests.
import { SlidingWindowLimiter } from '../domain/sliding-window.ts';
import {
  griefMinutes, MINUTE, type CommunityStore, type GriefEvent, type ProgressCommit, type TemplateCounts, type TemplateMeta,
  type TrackedTemplate, type TrackerCursor, type TrackerLease,
} from './community-store.ts';
import { reportFailure } from '../observability/telemetry.ts';
import type { LeaseTry } from '../board-store/board-store.ts';

export class EmbeddedCommunityStore implements CommunityStore {
  private readonly templates = new Map<string, TrackedTemplate>();
  private readonly countsById = new Map<string, number>();
  private readonly griefs = new Map<string, number>();
  private readonly caps = new SlidingWindowLimiter();
  private readonly listeners = new Set<(e: GriefEvent) => void>();
  private currentCursor: TrackerCursor | null = null;
  private versionNumber = 0;
  private lease: { token: string; until: number } | null = null;
  private leases = 0;

  async register(template: TrackedTemplate): Promise<void> {
    this.templates.set(template.id, { ...template, target: Uint8Array.from(template.target) });
    this.versionNumber++;
  }

  async version(): Promise<number> {
    return this.versionNumber;
  }

  async ids(): Promise<string[]> {
    return [...this.templates.keys()];
  }

  async tracked(ids?: readonly string[]): Promise<TrackedTemplate[]> {
    if (!ids) return [...this.templates.values()];
    return ids.map((id) => this.templates.get(id)).filter((t): t is TrackedTemplate => t !== undefined);
  }

  async meta(id: string): Promise<TemplateMeta | null> {
    const t = this.templates.get(id);
    if (!t) return null;
    const { target: _target, ...meta } = t;
    return meta;
  }

  async counts(id: string, now: number): Promise<TemplateCounts> {
    const correct = this.countsById.get(id) ?? null;
    const griefedLastHour = griefMinutes(now).reduce((n, m) => n + (this.griefs.get(`${id}:${m}`) ?? 0), 0);
    return { correct, seq: correct === null ? null : (this.currentCursor?.seq ?? null), griefedLastHour };
  }

  async cursor(): Promise<TrackerCursor | null> {
    return this.currentCursor;
  }

  async tryLease(ttlMs: number): Promise<LeaseTry<TrackerLease>> {
    if (this.lease && this.lease.until > Date.now()) return { lease: null, heldForMs: Math.max(this.lease.until - Date.now(), 1) };
    const token = String(++this.leases);
    this.lease = { token, until: Date.now() + ttlMs };
    const lease: TrackerLease = {
      token,
      renew: async (ms) => {
        if (this.lease?.token !== token || this.lease.until <= Date.now()) return false;
        this.lease.until = Date.now() + ms;
        return true;
      },
      release: async () => { if (this.lease?.token === token) this.lease = null; },
    };
    return { lease, heldForMs: 0 };
  }

  async commit(lease: TrackerLease, change: ProgressCommit): Promise<boolean> {
    const held = this.lease;
    if (!held || held.token !== lease.token || held.until <= Date.now()) return false;
    if (change.replaceAll) this.countsById.clear();
    for (const [id, n] of change.set ?? []) this.countsById.set(id, n);
    for (const [id, n] of change.add ?? []) this.countsById.set(id, (this.countsById.get(id) ?? 0) + n);
    const minute = Math.floor(change.at / MINUTE);
    for (const [id, n] of change.griefs ?? []) {
      const key = `${id}:${minute}`;
      this.griefs.set(key, (this.griefs.get(key) ?? 0) + n);
    }
    // Minutes older than an hour are forgotten, as Redis expires them.
    for (const key of this.griefs.keys()) if (Number(key.slice(key.lastIndexOf(':') + 1)) < minute - 60) this.griefs.delete(key);
    this.currentCursor = { ...change.cursor };
    return true;
  }

  async publishGriefs(events: readonly GriefEvent[]): Promise<void> {
    for (const e of events) {
      for (const l of this.listeners) {
        try {
          l(e);
        } catch (err) {
          reportFailure('grief-listener', err);
        }
      }
    }
  }

  async subscribeGriefs(handler: (event: GriefEvent) => void): Promise<{ close(): Promise<void> }> {
    this.listeners.add(handler);
    return { close: async () => { this.listeners.delete(handler); } };
  }

  async take(name: string, key: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; retryAfterMs: number }> {
    return this.caps.take(`${name}:${key}`, limit, windowMs, now);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
