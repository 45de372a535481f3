// The live board held in this process, for `npm start` and fast tests. Same contract as Redis.
import { SlidingWindowLimiter } from '../domain/sliding-window.ts';
import { colorAt, growthProblem, pixelIndex, resizeBoard, setColorAt, type BoardSize } from '../domain/board-codec.ts';
import { BadRequestError, RebuildInProgressError } from '../errors.ts';
import { addressWindow, nextAllowedAt, type CooldownRules } from '../domain/cooldown.ts';
import { nextVersion } from '../domain/placement.ts';
import { encodePixelBatch, type PixelUpdate } from '../protocol/pixel-batch.ts';
import type {
  BoardHead, BoardSnapshot, BoardState, BoardStore, Cooldown, FeedHandlers, FeedSubscription, HeldLease, LeaseName, LeaseTry, LockName,
  PlaceOutcome, PlaceRequest, Placement, StoreLock, UpdatesSince,
} from './board-store.ts';
import { collectUpdatesSince } from './updates-window.ts';
import type { PublishedBoard } from '../publish/published-board.ts';
import { reportFailure } from '../observability/telemetry.ts';
import type { BoardStatus, IpBan, LiveModerationState, ProtectedArea, Role, UserBan } from '../domain/moderation.ts';
import type { ModeratorPixel, ModeratorPlaceOutcome } from './board-store.ts';
import { DEFAULT_READS_PER_IP_PER_MINUTE } from './board-store.ts';
import { EmbeddedModeration } from './embedded-moderation.ts';
import { addressKey } from '../domain/client-ip.ts';

export interface EmbeddedBoardStoreOptions {
  size: BoardSize;
  rules: CooldownRules;
  sessionsPerIpPerHour: number;
  updatesKept: number;
  idempotencyTtlMs?: number;
  readsPerIpPerMinute?: number;
}

interface Window {
  count: number;
  /** Which window (addressWindow): a changed cooldown starts a new one. */
  lengthMs: number;
  index: number;
}

const HOUR = 3_600_000;

export class EmbeddedBoardStore implements BoardStore {
  private board: Uint8Array | null = null;
  private seq = 0;
  private version = 0;
  private epoch = 0;
  /** The board's size now: the configured one until it grows. */
  private size: BoardSize;
  private readonly recent: PixelUpdate[] = [];
  private readonly cooldowns = new Map<string, number>();
  private readonly ipPlacements = new Map<string, Window>();
  // Sessions and update reads per address, reports per user: in any window, not per clock window.
  private readonly caps = new SlidingWindowLimiter();
  private readonly pending = new Map<number, Placement>();
  private readonly idempotent = new Map<string, { placement: Placement; until: number }>();
  private readonly revoked = new Map<string | null, number>();
  private readonly locks = new Map<LockName | LeaseName, { token: string; until: number }>();
  private readonly leaseListeners = new Set<(name: LeaseName) => void>();
  private tokens = 0;
  private readonly listeners = new Set<FeedHandlers>();
  private readonly moderation: EmbeddedModeration;
  private publishedBoard: PublishedBoard | null = null;

  constructor(private readonly options: EmbeddedBoardStoreOptions) {
    this.size = options.size;
    this.moderation = new EmbeddedModeration(options.rules.cooldownMs);
  }

  /** The rules in force: the configured cap, and the cooldown an admin set (or the configured one). */
  private get rules(): CooldownRules {
    return { ...this.options.rules, cooldownMs: this.moderation.status.cooldownMs };
  }

  /** How long a placement is remembered for the cooldown: at least the configured cooldown (so a raised one reaches it). */
  private get remembered(): number {
    return Math.max(this.options.rules.cooldownMs, this.moderation.status.cooldownMs);
  }

  async place(request: PlaceRequest): Promise<PlaceOutcome> {
    const { now } = request;
    const fence = this.lockHeld('rebuild', Date.now());
    if (fence) return { status: 'fenced', retryAfterMs: fence.until - Date.now() };
    if (!this.board) return { status: 'no_board' };
    const revokedAt = Math.max(this.revoked.get(request.userId) ?? -1, this.revoked.get(null) ?? -1);
    if ((request.sessionIssuedAt ?? Number.MAX_SAFE_INTEGER) <= revokedAt) return { status: 'revoked' };
    const idemKey = request.idempotencyKey ? `${request.userId}:${request.idempotencyKey}` : null;
    if (idemKey) {
      const prior = this.idempotent.get(idemKey);
      if (prior && prior.until > now) return { status: 'duplicate', placement: prior.placement };
    }
    const { size } = this;
    if (request.x >= size.width || request.y >= size.height) return { status: 'out_of_bounds', ...size };
    const verdict = this.moderation.check(request);
    if (verdict.status !== 'ok' && verdict.status !== 'shadow') return verdict;
    const rules = this.rules;
    const last = this.cooldowns.get(request.userId) ?? null;
    const allowedAt = last !== null && last + this.remembered > now ? nextAllowedAt(last, rules) : 0;
    if (allowedAt > now) return { status: 'cooldown', retryAfterMs: allowedAt - now };
    if (verdict.status === 'shadow') {
      this.cooldowns.set(request.userId, now);
      const placement: Placement = { seq: this.seq, x: request.x, y: request.y, color: request.color, userId: request.userId, placedAt: now, version: 0 };
      return { status: 'shadow', placement, cooldownMs: rules.cooldownMs };
    }
    const window = addressWindow(now, rules.cooldownMs);
    const address = addressKey(request.ip);
    const counted = this.ipPlacements.get(address);
    const count = counted && counted.lengthMs === window.lengthMs && counted.index === window.index ? counted.count : 0;
    if (count >= rules.placementsPerIp) return { status: 'ip_limited', retryAfterMs: window.endsAt - now };
    if (this.remembered > 0) this.cooldowns.set(request.userId, now);
    this.ipPlacements.set(address, { count: count + 1, lengthMs: window.lengthMs, index: window.index });
    const placement = this.apply(request.x, request.y, request.color, request.userId, now);
    if (idemKey) this.rememberKey(idemKey, placement, now);
    let oldestPendingAt: number | null = null;
    for (const p of this.pending.values()) {
      oldestPendingAt = p.placedAt;
      break;
    }
    this.pending.set(placement.seq, placement);
    const batch = encodePixelBatch([placement]);
    this.emit((l) => l.onBatch(batch));
    return { status: 'placed', placement, oldestPendingAt, cooldownMs: rules.cooldownMs };
  }

  /** Sets the pixel under the next seq and keeps the update (the caller records it as pending and publishes it). */
  private apply(x: number, y: number, color: number, userId: string, now: number): Placement {
    this.seq += 1;
    this.version = nextVersion(this.version, now);
    setColorAt(this.board!, pixelIndex(this.size, x, y), color);
    const placement: Placement = { seq: this.seq, x, y, color, userId, placedAt: now, version: this.version };
    this.recent.push({ seq: placement.seq, x, y, color });
    if (this.recent.length > this.options.updatesKept * 1.1) {
      this.recent.splice(0, this.recent.length - this.options.updatesKept);
    }
    return placement;
  }

  async placeAsModerator(pixels: readonly ModeratorPixel[], userId: string, now: number): Promise<ModeratorPlaceOutcome> {
    const fence = this.lockHeld('rebuild', Date.now());
    if (fence) return { status: 'fenced', retryAfterMs: fence.until - Date.now() };
    if (!this.board) return { status: 'no_board' };
    const board = this.board;
    const placements = pixels.map((p) => {
      if (p.x >= this.size.width || p.y >= this.size.height) return null;
      if (p.expect !== undefined && p.expect >= 0 && colorAt(board, pixelIndex(this.size, p.x, p.y)) !== p.expect) return null;
      const placement = this.apply(p.x, p.y, p.color, userId, now);
      this.pending.set(placement.seq, placement);
      return placement;
    });
    const placed = placements.filter((p): p is Placement => p !== null);
    if (placed.length) {
      const batch = encodePixelBatch(placed);
      this.emit((l) => l.onBatch(batch));
    }
    return { status: 'placed', placements };
  }

  async boardStatus(): Promise<BoardStatus> {
    return { ...this.moderation.status };
  }

  async setBoardStatus(status: BoardStatus): Promise<void> {
    this.moderation.status = { ...status };
    this.emit((l) => l.onBoardStatus?.({ ...status }));
  }

  async setProtectedAreas(areas: readonly ProtectedArea[]): Promise<void> { this.moderation.setProtectedAreas(areas); }
  async setUserBan(userId: string, ban: UserBan | null): Promise<void> { this.moderation.setUserBan(userId, ban); }
  async setIpBans(bans: readonly IpBan[]): Promise<void> { this.moderation.setIpBans(bans); }
  async setRole(userId: string, role: Role | null): Promise<void> { this.moderation.setRole(userId, role); }
  async restoreModeration(state: LiveModerationState): Promise<void> {
    this.moderation.restore(state);
    this.emit((l) => l.onBoardStatus?.({ ...state.status }));
  }

  async takeReportSlot(userId: string, perHour: number, now: number): Promise<{ allowed: boolean; retryAfterMs: number }> {
    return this.caps.take(`reports:${userId}`, perHour, HOUR, now);
  }

  private rememberKey(key: string, placement: Placement, now: number): void {
    // Oldest first: drop the expired ones from the front, so the map stays bounded by the TTL.
    for (const [k, v] of this.idempotent) {
      if (v.until > now) break;
      this.idempotent.delete(k);
    }
    this.idempotent.set(key, { placement, until: now + (this.options.idempotencyTtlMs ?? 300_000) });
  }

  async markPersisted(placement: Placement): Promise<void> {
    this.pending.delete(placement.seq);
  }

  async pendingPersistence(placedBefore: number, limit: number): Promise<Placement[]> {
    const out: Placement[] = [];
    for (const p of this.pending.values()) {
      if (out.length >= limit) break;
      if (p.placedAt < placedBefore) out.push(p);
    }
    return out;
  }

  async snapshot(): Promise<BoardSnapshot | null> {
    return this.board ? { bytes: this.board.slice(), seq: this.seq, epoch: this.epoch, ...this.size } : null;
  }

  async head(): Promise<BoardHead | null> {
    return this.board ? { seq: this.seq, epoch: this.epoch, ...this.size } : null;
  }

  async updatesSince(seq: number, limit: number): Promise<UpdatesSince> {
    if (!this.board) return { status: 'gone' };
    return collectUpdatesSince(seq, this.seq, this.recent, limit);
  }

  async cooldownStart(userId: string): Promise<number | null> {
    const last = this.cooldowns.get(userId) ?? null;
    return last !== null && last + this.remembered > Date.now() ? last : null;
  }

  async takeSessionSlot(ip: string, now: number): Promise<{ allowed: boolean; retryAfterMs: number }> {
    return this.caps.take(`sessions:${addressKey(ip)}`, this.options.sessionsPerIpPerHour, HOUR, now);
  }

  async takeReadSlot(ip: string, now: number): Promise<{ allowed: boolean; retryAfterMs: number }> {
    return this.caps.take(`reads:${addressKey(ip)}`, this.options.readsPerIpPerMinute ?? DEFAULT_READS_PER_IP_PER_MINUTE, 60_000, now);
  }

  async revokeSessions(userId: string | null, at: number): Promise<void> {
    this.revoked.set(userId, Math.max(this.revoked.get(userId) ?? -1, at));
  }

  async sessionsRevokedAt(userId: string): Promise<number | null> {
    const at = Math.max(this.revoked.get(userId) ?? -1, this.revoked.get(null) ?? -1);
    return at < 0 ? null : at;
  }

  async restore(state: BoardState, cooldowns: readonly Cooldown[], now: number): Promise<BoardHead> {
    this.board = Uint8Array.from(state.board);
    this.size = state.size ?? this.options.size;
    this.seq = state.seq;
    this.version = state.version;
    this.epoch = Math.max(this.epoch + 1, now);
    this.recent.length = 0;
    for (const c of cooldowns) {
      if (c.placedAt + this.remembered > now) this.cooldowns.set(c.userId, c.placedAt);
    }
    const { epoch, seq } = this;
    this.emit((l) => l.onReset(epoch, seq));
    return { seq, epoch, ...this.size };
  }

  async resize(to: BoardSize): Promise<BoardHead> {
    if (!this.board) throw new RebuildInProgressError('there is no board to resize: it is being rebuilt', 2000, { store: 'embedded' });
    const problem = growthProblem(this.size, to);
    if (problem) throw new BadRequestError('invalid_size', problem);
    this.board = resizeBoard(this.board, this.size, to);
    this.size = { width: to.width, height: to.height };
    const { seq, epoch } = this;
    this.emit((l) => l.onResize(to.width, to.height, seq));
    return { seq, epoch, ...this.size };
  }

  private lockHeld(name: LockName | LeaseName, now: number): { token: string; until: number } | null {
    const held = this.locks.get(name);
    if (!held || held.until <= now) return null;
    return held;
  }

  private takeLock(name: LockName | LeaseName, ttlMs: number, released: () => void = () => {}): HeldLease | null {
    if (this.lockHeld(name, Date.now())) return null;
    const token = String(++this.tokens);
    this.locks.set(name, { token, until: Date.now() + ttlMs });
    const mine = () => this.locks.get(name)?.token === token;
    return {
      token,
      renew: async (ms) => {
        if (!mine()) return false;
        this.locks.set(name, { token, until: Date.now() + ms });
        return true;
      },
      release: async () => {
        if (!mine()) return;
        this.locks.delete(name);
        released();
      },
    };
  }

  async tryLock(name: LockName, ttlMs: number): Promise<StoreLock | null> {
    return this.takeLock(name, ttlMs);
  }

  async tryLease(name: LeaseName, ttlMs: number): Promise<LeaseTry<HeldLease>> {
    const lease = this.takeLock(name, ttlMs, () => { for (const listener of this.leaseListeners) listener(name); });
    return lease ? { lease, heldForMs: 0 } : { lease: null, heldForMs: Math.max(this.lockHeld(name, Date.now())!.until - Date.now(), 1) };
  }

  onLeaseReleased(listener: (name: LeaseName) => void): () => void {
    this.leaseListeners.add(listener);
    return () => { this.leaseListeners.delete(listener); };
  }

  async published(): Promise<PublishedBoard | null> {
    return this.publishedBoard;
  }

  async setPublished(board: PublishedBoard): Promise<void> {
    this.publishedBoard = board;
  }

  async subscribe(handlers: FeedHandlers): Promise<FeedSubscription> {
    this.listeners.add(handlers);
    return { close: async () => { this.listeners.delete(handlers); } };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private emit(deliver: (l: FeedHandlers) => void): void {
    for (const l of this.listeners) {
      try {
        deliver(l);
      } catch (err) {
        reportFailure('feed-listener', err);
      }
    }
  }
}

