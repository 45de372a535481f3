// Moderation's live copies in Redis, which the write script reads in the same atomic step as
// the write: the board's state (a hash), user bans (a hash: "until|shadow"), address bans (a hash
// of CIDR prefixes as bit strings, plus the set of prefix lengths in use, so the script looks up
// one prefix per length), protected pixels (a bitmap: one GETBIT per write), and roles (a hash,
// read only for a protected pixel). Moderators' own changes go through one script per batch.
import type { Redis } from 'ioredis';
import type { BoardSize } from '../domain/board-codec.ts';
import { defaultBoardStatus, protectedBitmap, type BoardState, type BoardStatus, type IpBan, type LiveModerationState, type ProtectedArea, type Role, type UserBan } from '../domain/moderation.ts';
import { parseCidr } from '../domain/ip-range.ts';
import { encodeFeedStatus } from '../protocol/feed.ts';
import type { Placement } from '../domain/placement.ts';
import type { ModeratorPixel, ModeratorPlaceOutcome } from './board-store.ts';
import type { RedisKeys } from './redis-keys.ts';
import { slotArgs } from './redis-scripts.ts';

/**
 * KEYS: board, seq, version, updates stream, pending set, rebuild lock, board size
 * ARGV: now, updatesKept, userId, channel, publish (0|1: as the write script's publishEachWrite), configured width,
 *       configured height, then per pixel: x, y, color, expected colour (-1: any)
 * Returns {'placed', seq1, version1, seq2, version2, …} (seq 0: skipped, the colour had changed or the
 * pixel is off the board) | {'fenced', ms} | {'no_board'}
 */
export const PLACE_AS_MODERATOR_LUA = `
local board, seqKey, versionKey, stream, pending, lock = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local now, kept, userId, channel, publish = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5] == '1'
local fence = redis.call('PTTL', lock)
if fence > 0 then return {'fenced', fence} end
if redis.call('EXISTS', board) == 0 or redis.call('EXISTS', seqKey) == 0 then return {'no_board'} end
-- The size in force (the board may have grown), as the write script reads it.
local width, height = tonumber(ARGV[6]), tonumber(ARGV[7])
local size = redis.call('GET', KEYS[7])
if size then
  local w, h = string.match(size, '^(%d+)x(%d+)$')
  width, height = tonumber(w), tonumber(h)
end
local version = tonumber(redis.call('GET', versionKey) or '0')
local out = {'placed'}
local records, first = {}, nil
for i = 8, #ARGV, 4 do
  local x, y, color, expect = tonumber(ARGV[i]), tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  local index = y * width + x
  if x >= width or y >= height or (expect >= 0 and redis.call('BITFIELD', board, 'GET', 'u4', '#' .. index)[1] ~= expect) then
    out[#out + 1] = 0
    out[#out + 1] = '0'
  else
    local seq = redis.call('INCR', seqKey)
    version = math.max(version + 1, now * 1000)
    local v = string.format('%d', version)
    redis.call('BITFIELD', board, 'SET', 'u4', '#' .. index, color)
    local record = struct.pack('<HHB', x, y, color)
    first = first or seq
    records[#records + 1] = record
    redis.call('ZADD', pending, ARGV[1], seq .. ':' .. x .. ':' .. y .. ':' .. color .. ':' .. ARGV[1] .. ':' .. v .. ':' .. userId)
    out[#out + 1] = seq
    out[#out + 1] = v
  end
end
redis.call('SET', versionKey, string.format('%d', version))
-- The seqs of one batch are consecutive (nothing runs between them): one stream entry (as the
-- write script's: named by its last seq) and one pixel batch for all.
if first then
  local last = first + #records - 1
  redis.call('XADD', stream, 'MINID', '~', string.format('%d', math.max(last - tonumber(kept) + 1, 0)), string.format('%d', last) .. '-0', 'p', table.concat(records))
end
if publish and first then redis.call('PUBLISH', channel, struct.pack('<BI4H', 1, first, #records) .. table.concat(records)) end
return out
`;

interface ModerationRedis extends Redis {
  placeAsModerator(...args: (string | number)[]): Promise<(string | number)[]>;
  takeSlot(...args: (string | number)[]): Promise<[number, number]>;
}

export interface RedisModerationDeps {
  client: Redis;
  keys: RedisKeys;
  size: BoardSize;
  defaultCooldownMs: number;
  updatesKept: number;
  publishesEachWrite: boolean;
  run<T>(what: string, op: () => Promise<T>): Promise<T>;
}

const banValue = (ban: UserBan) => `${ban.until ?? 0}|${ban.shadow ? 1 : 0}`;

export function statusFromHash(hash: Record<string, string>, defaultCooldownMs: number): BoardStatus {
  const status = defaultBoardStatus(defaultCooldownMs);
  if (hash.state) status.state = hash.state as BoardState;
  if (hash.message) status.message = hash.message;
  if (hash.opensAt) status.opensAt = Number(hash.opensAt);
  if (hash.cooldownMs) status.cooldownMs = Number(hash.cooldownMs);
  return status;
}

const statusToHash = (s: BoardStatus) => ({ state: s.state, message: s.message ?? '', opensAt: s.opensAt === null ? '' : String(s.opensAt), cooldownMs: String(s.cooldownMs) });

/** The address-ban hash entries and the prefix lengths in use. */
function ipBanEntries(bans: readonly IpBan[]): { entries: Record<string, string>; lengths: string[] } {
  const entries: Record<string, string> = {};
  const lengths = new Set<string>();
  for (const ban of bans) {
    const range = parseCidr(ban.cidr);
    if (!range) continue;
    entries[range.key] = String(ban.until ?? 0);
    lengths.add(`${range.family}:${range.prefix}`);
  }
  return { entries, lengths: [...lengths] };
}

export class RedisModeration {
  private readonly client: ModerationRedis;

  constructor(private readonly deps: RedisModerationDeps) {
    this.client = deps.client as ModerationRedis;
  }

  static define(client: Redis): void {
    client.defineCommand('placeAsModerator', { numberOfKeys: 7, lua: PLACE_AS_MODERATOR_LUA });
  }

  async boardStatus(): Promise<BoardStatus> {
    const hash = await this.deps.run('board state', () => this.client.hgetall(this.deps.keys.boardState));
    return statusFromHash(hash, this.deps.defaultCooldownMs);
  }

  async setBoardStatus(status: BoardStatus): Promise<void> {
    const k = this.deps.keys;
    await this.deps.run('board state', () => this.client.multi().del(k.boardState).hset(k.boardState, statusToHash(status))
      .publish(k.channel, encodeFeedStatus(status)).exec());
  }

  async setProtectedAreas(areas: readonly ProtectedArea[]): Promise<void> {
    const k = this.deps.keys;
    const bits = protectedBitmap(areas);
    await this.deps.run<unknown>('protected areas', () => (areas.length
      ? this.client.set(k.protectedMap, Buffer.from(bits.buffer, bits.byteOffset, bits.byteLength))
      : this.client.del(k.protectedMap)));
  }

  async setUserBan(userId: string, ban: UserBan | null): Promise<void> {
    const k = this.deps.keys;
    await this.deps.run('ban', () => (ban ? this.client.hset(k.bans, userId, banValue(ban)) : this.client.hdel(k.bans, userId)));
  }

  async setIpBans(bans: readonly IpBan[]): Promise<void> {
    const k = this.deps.keys;
    const { entries, lengths } = ipBanEntries(bans);
    const tx = this.client.multi().del(k.ipBans, k.ipBanLengths);
    if (lengths.length) tx.hset(k.ipBans, entries).sadd(k.ipBanLengths, ...lengths);
    await this.deps.run('address bans', () => tx.exec());
  }

  async setRole(userId: string, role: Role | null): Promise<void> {
    const k = this.deps.keys;
    await this.deps.run('role', () => (role ? this.client.hset(k.roles, userId, role) : this.client.hdel(k.roles, userId)));
  }

  async restoreModeration(state: LiveModerationState): Promise<void> {
    const k = this.deps.keys;
    const bits = protectedBitmap(state.areas);
    const { entries, lengths } = ipBanEntries(state.ipBans);
    const tx = this.client.multi().del(k.boardState, k.bans, k.ipBans, k.ipBanLengths, k.protectedMap, k.roles)
      .hset(k.boardState, statusToHash(state.status));
    if (state.bans.length) tx.hset(k.bans, Object.fromEntries(state.bans.map((b) => [b.userId, banValue(b)])));
    if (lengths.length) tx.hset(k.ipBans, entries).sadd(k.ipBanLengths, ...lengths);
    if (state.areas.length) tx.set(k.protectedMap, Buffer.from(bits.buffer, bits.byteOffset, bits.byteLength));
    if (state.roles.length) tx.hset(k.roles, Object.fromEntries(state.roles.map((r) => [r.userId, r.role])));
    // Socket servers that started while the store was empty hear the restored state at once.
    tx.publish(k.channel, encodeFeedStatus(state.status));
    await this.deps.run('restore moderation', () => tx.exec());
  }

  async placeAsModerator(pixels: readonly ModeratorPixel[], userId: string, now: number): Promise<ModeratorPlaceOutcome> {
    const k = this.deps.keys;
    const args: (string | number)[] = [k.board, k.seq, k.version, k.updates, k.pending, k.lock('rebuild'), k.size,
      now, this.deps.updatesKept, userId, k.channel, this.deps.publishesEachWrite ? 1 : 0, this.deps.size.width, this.deps.size.height];
    for (const p of pixels) args.push(p.x, p.y, p.color, p.expect ?? -1);
    const reply = await this.deps.run('moderator place', () => this.client.placeAsModerator(...args));
    if (reply[0] === 'fenced') return { status: 'fenced', retryAfterMs: Number(reply[1]) };
    if (reply[0] !== 'placed') return { status: 'no_board' };
    const placements = pixels.map((p, i): Placement | null => {
      const seq = Number(reply[1 + 2 * i]);
      return seq === 0 ? null : { seq, x: p.x, y: p.y, color: p.color, userId, placedAt: now, version: Number(reply[2 + 2 * i]) };
    });
    return { status: 'placed', placements };
  }

  async takeReportSlot(userId: string, perHour: number, now: number): Promise<{ allowed: boolean; retryAfterMs: number }> {
    const [allowed, retryAfterMs] = await this.deps.run('report slot', () => this.client.takeSlot(this.deps.keys.reports(userId), ...slotArgs(perHour, 3_600_000, now)));
    return { allowed: allowed === 1, retryAfterMs };
  }
}
