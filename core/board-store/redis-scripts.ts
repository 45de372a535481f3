// Lua run atomically inside Redis. One script call places a batch of pixels (the writes that
// reached this process within REDIS_WRITE_BATCH_MS), one after the other, so the fence,
// revocation, idempotency and cooldown checks, the board change, the seq, the kept update, the
// pending-persistence record and the publish can never be seen half done, seq order is exactly
// the order pixels land on the board, and each write gets the answer it would have got alone.
// A batch pays once for the script call and for what every write shares (the seq, the version,
// the board's state and size, one BITFIELD, one ZADD, one stream entry), which a call per write
// pays each time.
import { SLOT_BUCKETS } from '../domain/sliding-window.ts';
import { MAX_BOARD_SIDE } from '../domain/board-codec.ts';
import type { BoardStatus } from '../domain/moderation.ts';
import type { PlaceOutcome, PlaceRequest } from './board-store.ts';

/** Shared KEYS and ARGV come first, then this many of each per write (the store builds both). */
const PLACE_SHARED_KEYS = 14;
const PLACE_KEYS_PER_WRITE = 4;
const PLACE_SHARED_ARGS = 8;
const PLACE_ARGS_PER_WRITE = 8;

/**
 * KEYS: board, seq, version, updates stream, pending set, rebuild lock, global revocation,
 *       board size ("WxH"; absent: the configured size), board state, user bans, address bans,
 *       address-ban prefix lengths, protected bitmap, roles;
 *       then per write: user cooldown, ip counter, idempotency key (or the user revocation key when there is none), user revocation
 * ARGV: configured width, configured height, cooldownMs (the default), placementsPerIp, updatesKept, channel,
 *       publishEachWrite (0|1), idempotency window (ms);
 *       then per write: x, y, color, now, userId, sessionIssuedAt, idempotencyTtlMs (0: no idempotency key),
 *       address bits ("4:0101…", "6:…" or "")
 * The stream entry: ID "<last seq>-0", field p = the pixel records (pixel-batch.ts) of the call's
 * placements, for the consecutive seqs that end at that seq.
 * Returns one reply per write, in order:
 *       {'placed', seq, version, oldestPendingAt|-1, cooldownMs} | {'duplicate', "seq:x:y:color:placedAt:version"}
 *       | {'cooldown', ms} | {'ip_limited', ms} | {'fenced', ms} | {'revoked'} | {'out_of_bounds', width, height} | {'no_board'}
 *       | {'closed', state, message, opensAt|''} | {'banned', until (0: until lifted)} | {'protected'}
 *       | {'shadow', seq, cooldownMs}
 * The cooldown key holds when the user last placed ("at"), and, when that write had an
 * Idempotency-Key, its record ("at|record|idempotency key"): the script reads that key for every
 * write anyway, so the record costs no key of its own. Before a newer placement replaces it, a
 * record still inside the idempotency window moves to the idempotency key (for the rest of the
 * window), so a late retry of it is still answered; that costs a SET only when the user places
 * again within the window, which the cooldown prevents while the window is not longer than it
 * (the defaults: 5 minutes each). That key's name comes from the stored value, not KEYS: fine on
 * one primary (ElastiCache's replication group), not in cluster mode without a hash tag.
 * The wait is measured with the cooldown in
 * force now, so an admin's change applies to every write from then on. The key lives at least as
 * long as the configured cooldown, so a raised cooldown reaches placements made just before.
 * The protected bitmap has a bit per pixel at y·MAX_BOARD_SIDE + x (protectedBit), so it stays
 * right when the board grows. Per-user and per-address keys are written as each write is placed,
 * so a later write of the same batch sees them as it would in a later call.
 */
export const PLACE_PIXELS_LUA = `
local board, seqKey, versionKey, stream, pending, lock, revokedAll = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local sizeKey, stateKey, bans, ipBans, ipLens, protectedKey, roles = KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14]
local defaultCooldown, ipLimit, kept = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local channel, publishEach, idemWindow = ARGV[6], ARGV[7] == '1', tonumber(ARGV[8])
local writes = (#KEYS - ${PLACE_SHARED_KEYS}) / ${PLACE_KEYS_PER_WRITE}
local replies = {}

-- What every write shares, read once. The size lives here, not in the caller's config: the
-- board may have grown during the event.
local g = redis.call('MGET', seqKey, sizeKey, revokedAll, versionKey, lock)
if g[5] then
  local fence = redis.call('PTTL', lock)
  if fence > 0 then
    for i = 1, writes do replies[i] = {'fenced', fence} end
    return replies
  end
end
if not g[1] or redis.call('EXISTS', board) == 0 then
  for i = 1, writes do replies[i] = {'no_board'} end
  return replies
end
local seq, startSeq, version = tonumber(g[1]), tonumber(g[1]), g[4] or '0'
local width, height = tonumber(ARGV[1]), tonumber(ARGV[2])
if g[2] then
  local w, h = string.match(g[2], '^(%d+)x(%d+)$')
  width, height = tonumber(w), tonumber(h)
end
local revokedAllAt = tonumber(g[3] or '-1')
local st = redis.call('HMGET', stateKey, 'state', 'message', 'opensAt', 'cooldownMs')
local cooldownMs = defaultCooldown
if st[4] and st[4] ~= '' then cooldownMs = tonumber(st[4]) end
local cooldownTtl = math.max(cooldownMs, defaultCooldown, 1000)
local banLengths = nil
local oldest = nil
local bits, members, records = {'BITFIELD', board}, {'ZADD', pending}, {}

-- Before a user's key is written again: a record still inside its window keeps answering from a key of its own.
local function keepLastRecord(lastIdem, lastRecord, last, now)
  if lastIdem and now < last + idemWindow then redis.call('SET', lastIdem, lastRecord, 'PX', last + idemWindow - now) end
end

local function place(i)
  local k, a = ${PLACE_SHARED_KEYS} + (i - 1) * ${PLACE_KEYS_PER_WRITE}, ${PLACE_SHARED_ARGS} + (i - 1) * ${PLACE_ARGS_PER_WRITE}
  local userKey, ipKey, idemKey, revokedUser = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
  -- Numbers where compared; the strings go into the records as they came.
  local xArg, yArg, color, nowArg, userId = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  local x, y, now, issuedAt, idemTtl, ipBits = tonumber(xArg), tonumber(yArg), tonumber(nowArg), tonumber(ARGV[a + 6]), tonumber(ARGV[a + 7]), ARGV[a + 8]
  if x >= width or y >= height then return {'out_of_bounds', width, height} end
  local v = redis.call('MGET', revokedUser, userKey, ipKey, idemKey)
  if issuedAt <= math.max(tonumber(v[1] or '-1'), revokedAllAt) then return {'revoked'} end
  -- The user's last placement, and its idempotency record when it had a key (the key last: it may hold any character).
  local last, lastRecord, lastIdem = tonumber(v[2] or '-1'), nil, nil
  if v[2] and not last then
    local at, record, key = string.match(v[2], '^(%d+)|([^|]+)|(.+)$')
    last, lastRecord, lastIdem = tonumber(at) or -1, record, key
  end
  if idemTtl > 0 then
    if lastIdem == idemKey and now < last + idemWindow then return {'duplicate', lastRecord} end
    -- A record moved to its own key: its window is counted from its placement (the record's fifth field), as above.
    if v[4] and now < tonumber(string.match(v[4], '^[^:]*:[^:]*:[^:]*:[^:]*:(%d+)') or '0') + idemWindow then return {'duplicate', v[4]} end
  end
  if st[1] and st[1] ~= 'live' then return {'closed', st[1], st[2] or '', st[3] or ''} end
  if st[3] and st[3] ~= '' and tonumber(st[3]) > now then return {'closed', 'live', st[2] or '', st[3]} end
  local shadow = false
  local ban = redis.call('HGET', bans, userId)
  if ban then
    local untilAt, sh = string.match(ban, '^(%d+)|(%d)$')
    untilAt = tonumber(untilAt)
    if untilAt == 0 or untilAt > now then
      if sh == '1' then shadow = true else return {'banned', untilAt} end
    end
  end
  if not shadow and ipBits ~= '' then
    banLengths = banLengths or redis.call('SMEMBERS', ipLens)
    local family = string.sub(ipBits, 1, 1)
    for _, len in ipairs(banLengths) do
      if string.sub(len, 1, 1) == family then
        local untilAt = redis.call('HGET', ipBans, family .. ':' .. string.sub(ipBits, 3, 2 + tonumber(string.sub(len, 3))))
        if untilAt and (tonumber(untilAt) == 0 or tonumber(untilAt) > now) then return {'banned', tonumber(untilAt)} end
      end
    end
  end
  if redis.call('GETBIT', protectedKey, y * ${MAX_BOARD_SIDE} + x) == 1 and not redis.call('HGET', roles, userId) then return {'protected'} end
  if last >= 0 and now - last < cooldownMs then return {'cooldown', last + cooldownMs - now} end
  if shadow then
    keepLastRecord(lastIdem, lastRecord, last, now)
    redis.call('SET', userKey, nowArg, 'PX', cooldownTtl)
    return {'shadow', seq, cooldownMs}
  end
  if tonumber(v[3] or '0') >= ipLimit then return {'ip_limited', math.max(redis.call('PTTL', ipKey), 1)} end

  -- A new window's counter is made with its expiry in one command (and one replicated).
  if v[3] then redis.call('INCR', ipKey) else redis.call('SET', ipKey, '1', 'PX', math.max(cooldownMs, 1000)) end
  if not oldest then
    local first = redis.call('ZRANGE', pending, 0, 0, 'WITHSCORES')
    oldest = tonumber(first[2] or '-1')
  end
  local oldestBefore = oldest
  if oldest < 0 or now < oldest then oldest = now end
  seq = seq + 1
  local seqArg = string.format('%d', seq)
  version = string.format('%d', math.max(tonumber(version) + 1, now * 1000))
  local n = #bits
  bits[n + 1], bits[n + 2], bits[n + 3], bits[n + 4] = 'SET', 'u4', '#' .. (y * width + x), color
  records[#records + 1] = struct.pack('<HHB', x, y, color)
  local record = seqArg .. ':' .. xArg .. ':' .. yArg .. ':' .. color .. ':' .. nowArg .. ':' .. version
  n = #members
  members[n + 1], members[n + 2] = nowArg, record .. ':' .. userId
  if idemTtl > 0 then
    keepLastRecord(lastIdem, lastRecord, last, now)
    redis.call('SET', userKey, nowArg .. '|' .. record .. '|' .. idemKey, 'PX', math.max(cooldownTtl, idemTtl))
  elseif cooldownMs > 0 or defaultCooldown > 0 then
    keepLastRecord(lastIdem, lastRecord, last, now)
    redis.call('SET', userKey, nowArg, 'PX', cooldownTtl)
  end
  -- With a feed relay (the default), the relay publishes a batch per tick; this is the per-write way.
  if publishEach then redis.call('PUBLISH', channel, struct.pack('<BI4HHHB', 1, seq, 1, x, y, color)) end
  return {'placed', seq, version, oldestBefore, cooldownMs}
end

for i = 1, writes do replies[i] = place(i) end
if seq > startSeq then
  redis.call('MSET', seqKey, string.format('%d', seq), versionKey, version)
  redis.call(unpack(bits))
  redis.call(unpack(members))
  -- One stream entry for the call's placements (consecutive seqs), named by its last seq;
  -- entries wholly older than the last \`kept\` seqs are dropped.
  redis.call('XADD', stream, 'MINID', '~', string.format('%d', math.max(seq - tonumber(kept) + 1, 0)), string.format('%d', seq) .. '-0', 'p', table.concat(records))
end
return replies
`;

export type PlaceReply = [string, (number | string)?, (number | string)?, (number | string)?, number?];

/** What one write's reply from the write script means (PLACE_PIXELS_LUA lists the replies). */
export function placeOutcome(request: PlaceRequest, reply: PlaceReply): PlaceOutcome {
  switch (reply[0]) {
    case 'placed': {
      const oldest = Number(reply[3]);
      return {
        status: 'placed',
        placement: {
          seq: Number(reply[1]), x: request.x, y: request.y, color: request.color, userId: request.userId,
          placedAt: request.now, version: Number(reply[2]),
        },
        oldestPendingAt: oldest < 0 ? null : oldest,
        cooldownMs: Number(reply[4]),
      };
    }
    case 'duplicate': {
      const [seq, x, y, color, placedAt, version] = String(reply[1]).split(':').map(Number) as number[];
      return { status: 'duplicate', placement: { seq: seq!, x: x!, y: y!, color: color!, placedAt: placedAt!, version: version!, userId: request.userId } };
    }
    case 'cooldown': return { status: 'cooldown', retryAfterMs: Number(reply[1]) };
    case 'ip_limited': return { status: 'ip_limited', retryAfterMs: Number(reply[1]) };
    case 'fenced': return { status: 'fenced', retryAfterMs: Number(reply[1]) };
    case 'revoked': return { status: 'revoked' };
    case 'closed': {
      const state = String(reply[1]) as BoardStatus['state'];
      return { status: 'closed', state, message: reply[2] ? String(reply[2]) : null, opensAt: reply[3] ? Number(reply[3]) : null };
    }
    case 'banned': return { status: 'banned', until: Number(reply[1]) || null };
    case 'protected': return { status: 'protected' };
    case 'shadow': {
      const placement = { seq: Number(reply[1]), x: request.x, y: request.y, color: request.color, userId: request.userId, placedAt: request.now, version: 0 };
      return { status: 'shadow', placement, cooldownMs: Number(reply[2]) };
    }
    case 'out_of_bounds': return { status: 'out_of_bounds', width: Number(reply[1]), height: Number(reply[2]) };
    default: return { status: 'no_board' };
  }
}

/** KEYS: session counter. ARGV: limit, windowMs. Returns {allowed 0|1, retryAfterMs}. */
/**
 * A cap on uses per key in any window, counted in buckets (core/domain/sliding-window.ts, whose
 * slotAnswer this mirrors). KEYS: the key's counts, a hash of bucket index → uses. ARGV: limit,
 * window (ms), now, buckets per window (slotArgs). Returns {1, 0} when the use is counted, or
 * {0, ms until enough counted uses age out for one more}.
 */
export const TAKE_SLOT_LUA = `
local key, limit, window, now, n = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local width = math.max(1, math.ceil(window / n))
local current = math.floor(now / width)
local first = current - n
local fields = redis.call('HGETALL', key)
local counted, total = {}, 0
for i = 1, #fields, 2 do
  local b = tonumber(fields[i])
  if b < first then
    redis.call('HDEL', key, fields[i])
  else
    counted[#counted + 1] = {b, tonumber(fields[i + 1])}
    total = total + counted[#counted][2]
  end
end
if total >= limit then
  table.sort(counted, function(p, q) return p[1] < q[1] end)
  local need = total - limit + 1
  for _, p in ipairs(counted) do
    need = need - p[2]
    if need <= 0 then return {0, math.max((p[1] + n + 1) * width - now, 1)} end
  end
  return {0, 1}
end
redis.call('HINCRBY', key, string.format('%d', current), 1)
-- The key outlives its newest bucket's last counted moment, and no more.
redis.call('PEXPIRE', key, string.format('%d', (current + n + 1) * width - now))
return {1, 0}
`;

/** TAKE_SLOT_LUA's arguments after its key. */
export function slotArgs(limit: number, windowMs: number, now: number): [number, number, number, number] {
  return [limit, windowMs, now, SLOT_BUCKETS];
}

/**
 * KEYS: lock. ARGV: token, then for a lease its notice channel and name. Deletes the lock only if
 * we still hold it; a lease's followers hear that it is free.
 */
export const RELEASE_LOCK_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if ARGV[2] then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return 1
`;

/** KEYS: lock. ARGV: token, ttlMs. Returns 0 when taken, else how long the holder has left (ms, at least 1). */
export const TAKE_LEASE_LUA = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 0 end
local left = redis.call('PTTL', KEYS[1])
-- A lock with no expiry (set by hand) would never free up: give it one lease's time.
if left < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return tonumber(ARGV[2]) end
return math.max(left, 1)
`;

/** KEYS: lock. ARGV: token, ttlMs. Extends the lock only if we still hold it. */
export const RENEW_LOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** KEYS: revocation key. ARGV: at (ms), ttlMs. Keeps the latest revocation time. */
export const REVOKE_LUA = `
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1
`;
