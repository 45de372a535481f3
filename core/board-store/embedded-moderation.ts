// Moderation's live copies for the in-process store: the same checks, in the same order, as the
// Redis write script (core/board-store/place-script.ts).
import { banActive, bitAt, defaultBoardStatus, protectedBit, protectedBitmap, type BoardStatus, type IpBan, type LiveModerationState, type ProtectedArea, type Role, type UserBan } from '../domain/moderation.ts';
import { addressBits, parseCidr, rangeContains, type CidrRange } from '../domain/ip-range.ts';
import type { PlaceRequest } from './board-store.ts';

export type ModerationVerdict =
  | { status: 'closed'; state: BoardStatus['state']; message: string | null; opensAt: number | null }
  | { status: 'banned'; until: number | null }
  | { status: 'protected' }
  | { status: 'shadow' }
  | { status: 'ok' };

export class EmbeddedModeration {
  status: BoardStatus;
  private protectedBits: Uint8Array | null = null;
  private readonly bans = new Map<string, UserBan>();
  private ipBans: { range: CidrRange; until: number | null }[] = [];
  private readonly roles = new Map<string, Role>();

  constructor(defaultCooldownMs: number) {
    this.status = defaultBoardStatus(defaultCooldownMs);
  }

  /** Board state, bans and protection for one write (after the fence, revocation and idempotency checks). */
  check(request: PlaceRequest): ModerationVerdict {
    const { now } = request;
    const s = this.status;
    if (s.state !== 'live' || (s.opensAt !== null && s.opensAt > now)) return { status: 'closed', state: s.state, message: s.message, opensAt: s.opensAt };
    const ban = this.bans.get(request.userId);
    const shadow = ban !== undefined && banActive(ban, now) && ban.shadow;
    if (ban && banActive(ban, now) && !ban.shadow) return { status: 'banned', until: ban.until };
    if (!shadow && this.ipBans.length) {
      const bits = addressBits(request.ip);
      const hit = this.ipBans.find((b) => banActive(b, now) && rangeContains(b.range, bits));
      if (hit) return { status: 'banned', until: hit.until };
    }
    if (this.protectedBits && bitAt(this.protectedBits, protectedBit(request.x, request.y)) && !this.roles.has(request.userId)) return { status: 'protected' };
    return shadow ? { status: 'shadow' } : { status: 'ok' };
  }

  setProtectedAreas(areas: readonly ProtectedArea[]): void {
    this.protectedBits = areas.length ? protectedBitmap(areas) : null;
  }

  setUserBan(userId: string, ban: UserBan | null): void {
    if (ban) this.bans.set(userId, ban);
    else this.bans.delete(userId);
  }

  setIpBans(bans: readonly IpBan[]): void {
    this.ipBans = bans.flatMap((b) => {
      const range = parseCidr(b.cidr);
      return range ? [{ range, until: b.until }] : [];
    });
  }

  setRole(userId: string, role: Role | null): void {
    if (role) this.roles.set(userId, role);
    else this.roles.delete(userId);
  }

  restore(state: LiveModerationState): void {
    this.status = { ...state.status };
    this.setProtectedAreas(state.areas);
    this.bans.clear();
    for (const b of state.bans) this.bans.set(b.userId, b);
    this.setIpBans(state.ipBans);
    this.roles.clear();
    for (const r of state.roles) this.roles.set(r.userId, r.role);
  }
}
