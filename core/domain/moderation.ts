// Moderation's vocabulary: roles, rectangles, the board's state, protected areas and bans, and
// the pure rules over them (shared by the live stores, persistence, the HTTP handlers and the page).
import { MAX_BOARD_SIDE } from './board-codec.ts';

export const ROLES = ['admin', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

/** Admins may do everything moderators may, and change the board's state and the roles. */
export function roleAllows(role: Role | null, needed: Role): boolean {
  return needed === 'moderator' ? role !== null : role === 'admin';
}

/** A rectangle of board pixels, corners included. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const rectWidth = (r: Rect) => r.x1 - r.x0 + 1;
export const rectHeight = (r: Rect) => r.y1 - r.y0 + 1;
export const rectArea = (r: Rect) => rectWidth(r) * rectHeight(r);
export const inRect = (r: Rect, x: number, y: number) => x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1;

export const BOARD_STATES = ['live', 'paused', 'ended'] as const;
export type BoardState = (typeof BOARD_STATES)[number];

/** What every write checks: writes are accepted only while `state` is live and `opensAt` has passed. */
export interface BoardStatus {
  state: BoardState;
  message: string | null;
  /** While in the future, writes are refused (a countdown to the opening). */
  opensAt: number | null;
  /** The cooldown in force (the COOLDOWN_MS default until an admin changes it). */
  cooldownMs: number;
}

export function defaultBoardStatus(cooldownMs: number): BoardStatus {
  return { state: 'live', message: null, opensAt: null, cooldownMs };
}

/** Whether writes are refused now, and why. */
export function boardClosed(status: BoardStatus, now: number): boolean {
  return status.state !== 'live' || (status.opensAt !== null && status.opensAt > now);
}

export interface ProtectedArea extends Rect {
  name: string;
}

export interface UserBan {
  userId: string;
  /** Null: until lifted. */
  until: number | null;
  /** A shadow-banned user's writes are answered as if placed, and change nothing. */
  shadow: boolean;
}

export interface IpBan {
  /** Normalised CIDR (core/domain/ip-range.ts). */
  cidr: string;
  until: number | null;
}

export const banActive = (ban: { until: number | null }, now: number) => ban.until === null || ban.until > now;

/** Everything the write path checks that moderators set: what a rebuild puts back into the live store. */
export interface LiveModerationState {
  status: BoardStatus;
  areas: ProtectedArea[];
  bans: UserBan[];
  ipBans: IpBan[];
  roles: { userId: string; role: Role }[];
}

/**
 * A pixel's bit in the protected bitmap: a fixed stride (the largest side a board may have), so
 * the bitmap stays right when the board grows during an event.
 */
export const protectedBit = (x: number, y: number): number => y * MAX_BOARD_SIDE + x;

/** One bit a pixel (GETBIT order: bit i is the 0x80 >> (i % 8) bit of byte i / 8), set inside any area. */
export function protectedBitmap(areas: readonly Rect[]): Uint8Array {
  const rows = areas.reduce((most, a) => Math.max(most, Math.min(a.y1, MAX_BOARD_SIDE - 1) + 1), 0);
  const bits = new Uint8Array(Math.ceil((rows * MAX_BOARD_SIDE) / 8));
  for (const a of areas) {
    const x1 = Math.min(a.x1, MAX_BOARD_SIDE - 1);
    const y1 = Math.min(a.y1, MAX_BOARD_SIDE - 1);
    for (let y = a.y0; y <= y1; y++) {
      for (let x = a.x0; x <= x1; x++) {
        const i = protectedBit(x, y);
        bits[i >> 3]! |= 0x80 >> (i & 7);
      }
    }
  }
  return bits;
}

export function bitAt(bits: Uint8Array, index: number): boolean {
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}
