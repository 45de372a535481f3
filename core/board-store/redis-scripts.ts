// Small Lua scripts run atomically inside Redis: caps, leases and locks, revocations, a user's
// last placement. The write script is in place-script.ts.
import { SLOT_BUCKETS } from '../domain/sliding-window.ts';
import { CLOCK_MARGIN_MS } from './place-script.ts';

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

/**
 * When a user last placed, if still remembered (PLACE_PIXELS_LUA's buckets, newest first).
 * KEYS: board state, placements' bucket width. ARGV: placements' bucket prefix, bucket width (ms)
 * if none is stored, cooldownMs (the default), idempotency window (ms), now, userId. Returns the
 * time, or nil.
 */
export const LAST_PLACED_LUA = `
local widthArg = redis.call('GET', KEYS[2]) or ARGV[2]
local width, now = tonumber(widthArg), tonumber(ARGV[5])
local set = redis.call('HGET', KEYS[1], 'cooldownMs')
local cooldownMs = (set and set ~= '') and tonumber(set) or tonumber(ARGV[3])
local remembered = math.max(cooldownMs, tonumber(ARGV[3]), 1000, tonumber(ARGV[4]))
for b = math.floor((now + math.min(width, ${CLOCK_MARGIN_MS})) / width), math.floor((now - remembered) / width), -1 do
  local stored = redis.call('HGET', ARGV[1] .. widthArg .. ':' .. string.format('%d', b), ARGV[6])
  if stored then
    local at = tonumber(string.match(stored, '^(%d+)'))
    if at + remembered > now then return at end
    return nil
  end
end
return nil
`;
