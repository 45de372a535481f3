// Lua run atomically inside Redis. One script per pixel write, so the fence, revocation,
// idempotency and cooldown checks, the board change, the seq, the kept update, the
// pending-persistence record and the publish can never be seen half done, and seq order is
// exactly the order pixels land on the board.
import { MAX_BOARD_SIDE } from '../domain/board-codec.ts';

/**
 * KEYS: board, seq, version, updates stream, pending set, user cooldown, ip counter,
 *       rebuild lock, idempotency key (or the board key when there is none), user revocation, global revocation,
 *       board size ("WxH"; absent: the configured size),
 *       board state, user bans, address bans, address-ban prefix lengths, protected bitmap, roles
 * ARGV: configured width, x, y, color, now, cooldownMs (the default), placementsPerIp, updatesKept, userId, channel,
 *       sessionIssuedAt, idempotencyTtlMs, hasIdempotencyKey (0|1), publishEachWrite (0|1), configured height,
 *       address bits ("4:0101…", "6:…" or "")
 * Returns {'placed', seq, version, oldestPendingAt|-1, cooldownMs} | {'duplicate', "seq:x:y:color:placedAt:version"}
 *       | {'cooldown', ms} | {'ip_limited', ms} | {'fenced', ms} | {'revoked'} | {'out_of_bounds', width, height} | {'no_board'}
 *       | {'closed', state, message, opensAt|''} | {'banned', until (0: until lifted)} | {'protected'}
 *       | {'shadow', seq, cooldownMs}
 * The cooldown key holds when the user last placed; the wait is measured with the cooldown in
 * force now, so an admin's change applies to every write from then on. The key lives at least as
 * long as the configured cooldown, so a raised cooldown reaches placements made just before.
 * The protected bitmap has a bit per pixel at y·MAX_BOARD_SIDE + x (protectedBit), so it stays
 * right when the board grows.
 */
export const PLACE_PIXEL_LUA = `
local board, seqKey, versionKey, stream, pending, userKey, ipKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local lock, idemKey, revokedUser, revokedAll = KEYS[8], KEYS[9], KEYS[10], KEYS[11]
local stateKey, bans, ipBans, ipLens, protectedKey, roles = KEYS[13], KEYS[14], KEYS[15], KEYS[16], KEYS[17], KEYS[18]
local x, y, color = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local now, cooldownMs, ipLimit, kept = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local userId, channel, issuedAt, idemTtl, hasIdem = ARGV[9], ARGV[10], tonumber(ARGV[11]), tonumber(ARGV[12]), ARGV[13] == '1'
local publishEach, ipBits = ARGV[14] == '1', ARGV[16]
local defaultCooldown = cooldownMs

local fence = redis.call('PTTL', lock)
if fence > 0 then return {'fenced', fence} end
-- The small values every write reads, in one call (each redis.call costs Redis time on every write).
local v = redis.call('MGET', seqKey, KEYS[12], revokedUser, revokedAll, userKey, ipKey, versionKey)
local currentSeq, size, lastAt, used, lastVersion = v[1], v[2], v[5], v[6], v[7]
if not currentSeq or redis.call('EXISTS', board) == 0 then return {'no_board'} end
-- The size lives here, not in the caller's config: the board may have grown during the event.
local width, height = tonumber(ARGV[1]), tonumber(ARGV[15])
if size then
  local w, h = string.match(size, '^(%d+)x(%d+)$')
  width, height = tonumber(w), tonumber(h)
end
if x >= width or y >= height then return {'out_of_bounds', width, height} end
local index = y * width + x
local revoked = math.max(tonumber(v[3] or '-1'), tonumber(v[4] or '-1'))
if issuedAt <= revoked then return {'revoked'} end
if hasIdem then
  local prior = redis.call('GET', idemKey)
  if prior then return {'duplicate', prior} end
end
local st = redis.call('HMGET', stateKey, 'state', 'message', 'opensAt', 'cooldownMs')
if st[1] and st[1] ~= 'live' then return {'closed', st[1], st[2] or '', st[3] or ''} end
if st[3] and st[3] ~= '' and tonumber(st[3]) > now then return {'closed', 'live', st[2] or '', st[3]} end
if st[4] and st[4] ~= '' then cooldownMs = tonumber(st[4]) end
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
  local family = string.sub(ipBits, 1, 1)
  for _, len in ipairs(redis.call('SMEMBERS', ipLens)) do
    if string.sub(len, 1, 1) == family then
      local untilAt = redis.call('HGET', ipBans, family .. ':' .. string.sub(ipBits, 3, 2 + tonumber(string.sub(len, 3))))
      if untilAt and (tonumber(untilAt) == 0 or tonumber(untilAt) > now) then return {'banned', tonumber(untilAt)} end
    end
  end
end
if redis.call('GETBIT', protectedKey, y * ${MAX_BOARD_SIDE} + x) == 1 and not redis.call('HGET', roles, userId) then return {'protected'} end
local last = tonumber(lastAt or '-1')
if last >= 0 and now - last < cooldownMs then return {'cooldown', last + cooldownMs - now} end
if shadow then
  redis.call('SET', userKey, ARGV[5], 'PX', math.max(cooldownMs, defaultCooldown, 1000))
  return {'shadow', tonumber(currentSeq), cooldownMs}
end
used = tonumber(used or '0')
if used >= ipLimit then return {'ip_limited', math.max(redis.call('PTTL', ipKey), 1)} end

if cooldownMs > 0 or defaultCooldown > 0 then redis.call('SET', userKey, ARGV[5], 'PX', math.max(cooldownMs, defaultCooldown, 1000)) end
if redis.call('INCR', ipKey) == 1 then redis.call('PEXPIRE', ipKey, math.max(cooldownMs, 1000)) end
local seq = redis.call('INCR', seqKey)
local version = string.format('%d', math.max(tonumber(lastVersion or '0') + 1, now * 1000))
redis.call('SET', versionKey, version)
redis.call('BITFIELD', board, 'SET', 'u4', '#' .. index, color)
redis.call('XADD', stream, 'MAXLEN', '~', kept, seq .. '-0', 'p', struct.pack('<HHB', x, y, color))
local oldest = redis.call('ZRANGE', pending, 0, 0, 'WITHSCORES')
redis.call('ZADD', pending, ARGV[5], seq .. ':' .. x .. ':' .. y .. ':' .. color .. ':' .. ARGV[5] .. ':' .. version .. ':' .. userId)
if hasIdem then redis.call('SET', idemKey, seq .. ':' .. x .. ':' .. y .. ':' .. color .. ':' .. ARGV[5] .. ':' .. version, 'PX', idemTtl) end
-- With a feed relay (the default), the relay publishes a batch per tick; this is the per-write way.
if publishEach then redis.call('PUBLISH', channel, struct.pack('<BI4HHHB', 1, seq, 1, x, y, color)) end
return {'placed', seq, version, tonumber(oldest[2] or '-1'), cooldownMs}
`;

/** KEYS: session counter. ARGV: limit, windowMs. Returns {allowed 0|1, retryAfterMs}. */
export const TAKE_SESSION_SLOT_LUA = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return {0, math.max(redis.call('PTTL', KEYS[1]), 1)} end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {1, 0}
`;

/** KEYS: lock. ARGV: token. Deletes the lock only if we still hold it. */
export const RELEASE_LOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
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
