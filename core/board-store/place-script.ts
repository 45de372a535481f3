// Lua run atomically inside Redis. One script call places a batch of pixels (the writes that
// reached this process within REDIS_WRITE_BATCH_MS), one after the other, so the fence,
// revocation, idempotency and cooldown checks, the board change, the seq, the kept update, the
// pending-persistence record and the publish can never be seen half done, seq order is exactly
// the order pixels land on the board, and each write gets the answer it would have got alone.
// A batch pays once for the script call and for what every write shares (the seq, the version,
// the board's state and size, one BITFIELD, one pending record, one stream entry), which a call
// per write pays each time. The other scripts, smaller, are in redis-scripts.ts.
import { MAX_BOARD_SIDE } from '../domain/board-codec.ts';
import { PIXEL_RECORD_BYTES } from '../protocol/pixel-batch.ts';
import {
  CALL_NUMBERS_FORMAT, PLACE_ARGS_PER_WRITE, PLACE_KEYS_PER_WRITE, PLACE_SHARED_ARGS, PLACE_SHARED_KEYS, WRITE_ADDRESS_BITS_AT, WRITE_NOW_AT, WRITE_NUMBERS_FORMAT,
} from './place-args.ts';
import { REPLY_HEADER, REPLY_VALUES } from './place-replies.ts';
import { PENDING_CALL_HEADER_FORMAT, PENDING_WRITER_FORMAT } from './pending-calls.ts';

/**
 * The width of the buckets that hold users' last placements: the longest a placement must be
 * remembered under the configuration (its cooldown, the Idempotency-Key window), so a check
 * reads two buckets; more while an admin's cooldown is longer (a write then costs a lookup per
 * bucket, but each user also places that much less often). The first write stores the width
 * and every later one uses it, so a changed COOLDOWN_MS or IDEMPOTENCY_TTL_MS, or writers of two
 * configurations during a deploy, still find every placement.
 */
export function placedBucketMs(cooldownMs: number, idempotencyTtlMs: number): number {
  return Math.max(cooldownMs, idempotencyTtlMs, 1000);
}

/** How long from `now` a placements bucket is kept: two widths past the last check that can need it (the write script's PEXPIRE). */
export function placedBucketTtlMs(index: number, width: number, rememberedMs: number, now: number): number {
  return Math.max((index + 3) * width + rememberedMs - now, 1);
}

/** How far ahead of a write's own time it looks for a placement: writers' clocks and a request's time differ a little. */
export const CLOCK_MARGIN_MS = 60_000;

/**
 * The write script's KEYS and ARGV (how many of each, and the packed arguments: place-args.ts).
 * KEYS: board, seq, version, updates stream, pending set, rebuild lock, global revocation,
 *       board size ("WxH"; absent: the configured size), board state, user bans, address bans,
 *       address-ban prefix lengths, protected bitmap, roles, placements' bucket width, pending calls' records;
 *       then per write: user revocation (the Idempotency-Key's name is in its numbers: it is read only when needed)
 * ARGV: the call's numbers (packCallNumbers: the configured width and height, cooldownMs (the default),
 *       placementsPerIp, updatesKept, publishEachWrite, the idempotency window, the placements' bucket
 *       width to store if none is stored yet, the earliest and the latest write's time), channel,
 *       placements' bucket prefix, address counts' prefix, every write's pixel record (pixel-batch.ts,
 *       PIXEL_RECORD_BYTES each, in order: the stream entry is made of the placed ones', so the script
 *       formats none), every write's time and user (packPendingWriters: the pending record's end);
 *       then per write: its numbers (packWriteNumbers: x, y, color, now, sessionIssuedAt,
 *       idempotencyTtlMs, 0 when it has no key; then a byte of the address's bits' length, the bits,
 *       "4:0101…", "6:…" or none, and the Idempotency-Key's name or none),
 *       userId, address key (its counter's field), its placement's format (placedValueFormat; "" without a key)
 * The stream entry: ID "<last seq>-0", field p = the pixel records (pixel-batch.ts) of the call's
 * placements, for the consecutive seqs that end at that seq. The pending record (pending-calls.ts):
 * member "<last seq>" of the pending set, scored by the call's oldest placement, and the call's
 * placements under that name in the pending calls' hash.
 * Returns one flat array (place-replies.ts): the header (cooldownMs, the first placement's seq
 * and version, the oldest pending placement's time before it or -1), then, unless every write
 * placed (the header alone), each write's answer in order, its kind and then its values (REPLY_VALUES):
 *       'placed' | 'duplicate', "seq:x:y:color:placedAt:version"
 *       | 'cooldown', ms | 'ip_limited', ms | 'fenced', ms | 'revoked' | 'out_of_bounds', width, height | 'no_board'
 *       | 'closed', state, message, opensAt|'' | 'banned', until (0: until lifted) | 'protected'
 *       | 'shadow', seq, cooldownMs
 * A user's last placement is a field of a hash per time bucket ("<prefix><placedBucketMs>:<index>"),
 * and an address's placements are counted in a hash per cooldown window ("<prefix><window>:<index>"):
 * a call reads each with one HMGET per bucket and writes each with one HSET, and a bucket is
 * dropped whole (UNLINK, so a big one is freed off Redis's thread) a bucket after no check can
 * need it (a writer whose clock lags still finds it), instead of every write making two keys that
 * each expire on their own (docs/PERFORMANCE.md). The expiry of a bucket only frees it once
 * writes stop. A check looks up to CLOCK_MARGIN_MS past its own time too, for a placement
 * stamped by a writer whose clock runs ahead.
 * The placement's value is when the user placed ("at"), and, when that write had an
 * Idempotency-Key, its record ("at|record|idempotency key"): the script reads it for every
 * write anyway, so the record costs no key of its own. Before a newer placement replaces it, a
 * record still inside the idempotency window moves to the idempotency key (for the rest of the
 * window), so a late retry of it is still answered; that costs a SET only when the user places
 * again within the window, which the cooldown prevents while the window is not longer than it
 * (the defaults: 5 minutes each). Names made here (buckets, a moved record's key) start with the
 * prefix's hash tag, so they share the slot of the KEYS.
 * The wait is measured with the cooldown in force now, so an admin's change applies to every
 * write from then on; a placement is remembered for at least the configured cooldown and the
 * idempotency window. The address window is the cooldown in force (at least 1 s), counted per
 * clock window of that length.
 * The protected bitmap has a bit per pixel at y·MAX_BOARD_SIDE + x (protectedBit), so it stays
 * right when the board grows. A write sees the placements, counts and moved records of the
 * writes before it in the call, as it would in a later call.
 */
export const PLACE_PIXELS_LUA = `
-- Globals and library functions as locals: a local is a register, a global a table lookup, and
-- the hot loop below makes dozens of such lookups per write.
local KEYS, ARGV, call, fmt, floor, max, min = KEYS, ARGV, redis.call, string.format, math.floor, math.max, math.min
local tonumber, match, sub, byte, pack, unpackNumbers, unpack = tonumber, string.match, string.sub, string.byte, struct.pack, struct.unpack, unpack
local board, seqKey, versionKey, stream, pending, lock, revokedAll = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local sizeKey, stateKey, bans, ipBans, ipLens, protectedKey, roles, widthKey = KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14], KEYS[15]
local pendingCalls = KEYS[16]
local configuredWidth, configuredHeight, defaultCooldown, ipLimit, kept, publishFlag, idemWindow, bucketWidth, minNow, maxNow =
  unpackNumbers('${CALL_NUMBERS_FORMAT}', ARGV[1])
local channel, publishEach, placedPrefix, countPrefix = ARGV[2], publishFlag == 1, ARGV[3], ARGV[4]
local writes = (#KEYS - ${PLACE_SHARED_KEYS}) / ${PLACE_KEYS_PER_WRITE}
-- One flat array: the header, then each write's kind and its values (a placement: its kind alone).
-- Redis probes each table it replies with for special fields, so a table per write cost more.
-- The values' counts are made at the first answer that is not a placement: usually there is none.
local valuesOf = nil
local replies, nReplies = {0, 0, 0, -1}, ${REPLY_HEADER}
local function answer(kind, a, b, c)
  if not valuesOf then valuesOf = {${Object.entries(REPLY_VALUES).map(([kind, count]) => `${kind} = ${count}`).join(', ')}} end
  local n, count = nReplies + 1, valuesOf[kind]
  replies[n] = kind
  if count > 0 then replies[n + 1] = a or false end
  if count > 1 then replies[n + 2] = b or false end
  if count > 2 then replies[n + 3] = c or false end
  nReplies = n + count
end

-- What every write shares, read once. The size lives here, not in the caller's config: the
-- board may have grown during the event.
local g = call('MGET', seqKey, sizeKey, revokedAll, versionKey, lock, widthKey)
if g[5] then
  local fence = call('PTTL', lock)
  if fence > 0 then
    for i = 1, writes do answer('fenced', fence) end
    return replies
  end
end
-- Which of the board, user bans, a protected area and address bans exist, in one command: EXISTS
-- counts a key once each time it is named, so naming them once, twice, 4 and 8 times makes the
-- count a set of bits. Without a user ban, a protected area or an address ban (none exists until
-- a moderator makes one) no write needs that check: a missing key would answer nothing for each.
local present = g[1] and call('EXISTS', board, bans, bans, protectedKey, protectedKey, protectedKey, protectedKey,
  ipLens, ipLens, ipLens, ipLens, ipLens, ipLens, ipLens, ipLens) or 0
if present % 2 == 0 then
  for i = 1, writes do answer('no_board') end
  return replies
end
local anyBans, anyProtected, anyAddressBans = present % 4 >= 2, present % 8 >= 4, present >= 8
-- tonumber on a stored value that is not a number gives nil, which stops the script at its first
-- use: a write fails rather than ignoring, say, a global revocation.
local seq, startSeq, versionN = tonumber(g[1]), tonumber(g[1]), 0
if g[4] then versionN = tonumber(g[4]) end
local width, height = configuredWidth, configuredHeight
if g[2] then
  local w, h = match(g[2], '^(%d+)x(%d+)$')
  width, height = tonumber(w), tonumber(h)
end
local revokedAllAt = -1
if g[3] then revokedAllAt = tonumber(g[3]) end
local storedWidth = g[6]
if not storedWidth then storedWidth = fmt('%d', bucketWidth); call('SET', widthKey, storedWidth) end
local placedWidth = tonumber(storedWidth)
placedPrefix = placedPrefix .. storedWidth .. ':'
local st = call('HMGET', stateKey, 'state', 'message', 'opensAt', 'cooldownMs')
local cooldownMs = defaultCooldown
if st[4] and st[4] ~= '' then cooldownMs = tonumber(st[4]) end
local remembered = max(cooldownMs, defaultCooldown, 1000, idemWindow)
local countWidth = max(cooldownMs, 1000)
countPrefix = countPrefix .. fmt('%d', countWidth) .. ':'
local banLengths, nBanLengths = nil, 0
-- Whether the board is open, asked once a call; when it opens, each write's own time.
local closed, opensAt = st[1] and st[1] ~= 'live', st[3] and st[3] ~= '' and tonumber(st[3])
local oldest = nil
-- Built by index (nBits, nPlaced): # on a growing table is a search each time.
local bits, nBits, nPlaced, firstVersion, oldestPlaced = {'BITFIELD', board}, 2, 0, nil, nil

-- Each write's user, address and time; then every user's last placement (newest bucket first),
-- every address's count, and every write's revocation, a command per bucket.
-- Buckets are kept by index (a call's writes nearly always share one), so a write makes no new strings for them.
local function bucketName(prefix, index) return prefix .. fmt('%d', index) end
local last, missing, nMissing = {}, {}, 0
local countBuckets, countOrder = {}, {}
-- The call's earliest and latest write times come with it. A call spans a few milliseconds, so its
-- writes nearly always fall in one address window, and then no write's own time is read here.
local oneCb, countOf = nil, nil
if minNow - minNow % countWidth == maxNow - maxNow % countWidth then
  local ci = (minNow - minNow % countWidth) / countWidth
  oneCb = {fields = {}, counts = {}, counted = {}}; countBuckets[ci] = oneCb; countOrder[1] = ci
else
  countOf = {}
end
for i = 1, writes do
  local a = ${PLACE_SHARED_ARGS} + (i - 1) * ${PLACE_ARGS_PER_WRITE}
  local u, addr = ARGV[a + 2], ARGV[a + 3]
  if last[u] == nil then last[u] = false; nMissing = nMissing + 1; missing[nMissing] = u end
  local cb = oneCb
  if not cb then
    local now = unpackNumbers('<d', ARGV[a + 1], ${WRITE_NOW_AT})
    local ci = (now - now % countWidth) / countWidth -- floor, without a C call per write (now >= 0)
    cb = countBuckets[ci]
    if not cb then cb = {fields = {}, counts = {}, counted = {}}; countBuckets[ci] = cb; countOrder[#countOrder + 1] = ci end
    countOf[i] = cb
  end
  if cb.counts[addr] == nil then cb.counts[addr] = 0; cb.fields[#cb.fields + 1] = addr end
end
local newest = floor((maxNow + min(placedWidth, ${CLOCK_MARGIN_MS})) / placedWidth)
local oldestBucket = floor((minNow - remembered) / placedWidth)
-- Numeric loops throughout: ipairs calls a C function for each element. A bucket later than the
-- newest write's holds placements only from writers whose clocks run ahead: usually there is none,
-- and asking whether it exists costs less than asking it for every user.
local current = floor(maxNow / placedWidth)
for b = newest, oldestBucket, -1 do
  if nMissing == 0 then break end
  local name = bucketName(placedPrefix, b)
  if b <= current or call('EXISTS', name) == 1 then
    local got = call('HMGET', name, unpack(missing, 1, nMissing))
    local still = 0 -- the users not found yet move to the front of missing
    for j = 1, nMissing do
      local u, v = missing[j], got[j]
      if v then last[u] = v else still = still + 1; missing[still] = u end
    end
    nMissing = still
  end
end
for o = 1, #countOrder do
  local cb = countBuckets[countOrder[o]]
  local fields = cb.fields
  local got = call('HMGET', bucketName(countPrefix, countOrder[o]), unpack(fields))
  for j = 1, #fields do
    local n = got[j]
    cb.counts[fields[j]] = n and tonumber(n) or 0
  end
end
local rv = call('MGET', unpack(KEYS, ${PLACE_SHARED_KEYS + 1}, #KEYS)) -- each write's revocation

-- What the call writes back: placements per bucket, counts per window.
local placedSets, placedSizes, placedOrder = {}, {}, {}
local function remember(u, now, value)
  last[u] = value
  local pb = (now - now % placedWidth) / placedWidth
  local set = placedSets[pb]
  local n = placedSizes[pb]
  if not set then set, n = {'HSET', bucketName(placedPrefix, pb)}, 2; placedSets[pb] = set; placedOrder[#placedOrder + 1] = pb end
  set[n + 1], set[n + 2], placedSizes[pb] = u, value, n + 2
end

-- Before a user's placement is replaced: a record still inside its window (the only kind whose key
-- and record a write cuts out) keeps answering from a key of its own.
local function keepLastRecord(lastIdem, lastRecord, lastAt, now)
  call('SET', lastIdem, lastRecord, 'PX', fmt('%d', lastAt + idemWindow - now))
end

replies[1] = cooldownMs
-- Each write in order, in the loop itself rather than a function a write: a function here would
-- capture dozens of the chunk's locals, each an allocation for every call. break ends a write.
for i = 1, writes do repeat
  local a = ${PLACE_SHARED_ARGS} + (i - 1) * ${PLACE_ARGS_PER_WRITE}
  local nums = ARGV[a + 1]
  local x, y, color, now, issuedAt, idemTtl = unpackNumbers('${WRITE_NUMBERS_FORMAT}', nums)
  local userId = ARGV[a + 2]
  if x >= width or y >= height then answer('out_of_bounds', width, height) break end
  local revokedAt = rv[i]
  if issuedAt <= revokedAllAt or (revokedAt and issuedAt <= tonumber(revokedAt)) then answer('revoked') break end
  -- The user's last placement, and its idempotency record when it had a key (the key last: it may
  -- hold any character). The record and the key only matter inside the key's window (a retry's
  -- answer, or the record moved before a new placement replaces it), so only then are they cut out.
  local stored = last[userId]
  local lastAt, lastRecord, lastIdem = -1, nil, nil
  if stored then
    lastAt = tonumber(stored)
    if not lastAt then
      lastAt = tonumber(match(stored, '^%d+')) or -1
      if now < lastAt + idemWindow then lastRecord, lastIdem = match(stored, '^%d+|([^|]+)|(.+)$') end
    end
  end
  -- Only a last placement inside the key's window can answer a retry: itself, or a record it moved
  -- (only an older placement moves). Rarely (the cooldown keeps a user from placing again inside
  -- the window while it is not longer), so the key's name is cut out, and a moved record read, only then.
  if idemTtl > 0 and lastAt >= 0 and now < lastAt + idemWindow then
    local idemKey = sub(nums, ${WRITE_ADDRESS_BITS_AT + 1} + byte(nums, ${WRITE_ADDRESS_BITS_AT}))
    if lastIdem == idemKey then answer('duplicate', lastRecord) break end
    -- A record moved to its own key: its window is counted from its placement (the record's fifth field), as above.
    local movedRecord = call('GET', idemKey)
    if movedRecord and now < tonumber(match(movedRecord, '^[^:]*:[^:]*:[^:]*:[^:]*:(%d+)') or '0') + idemWindow then answer('duplicate', movedRecord) break end
  end
  if closed then answer('closed', st[1], st[2] or '', st[3] or '') break end
  if opensAt and opensAt > now then answer('closed', 'live', st[2] or '', st[3]) break end
  local shadow = false
  local ban = anyBans and call('HGET', bans, userId)
  if ban then
    local untilAt, sh = match(ban, '^(%d+)|(%d)$')
    untilAt = tonumber(untilAt)
    if untilAt == 0 or untilAt > now then
      if sh == '1' then shadow = true else answer('banned', untilAt) break end
    end
  end
  if anyAddressBans and not shadow and not banLengths then banLengths = call('SMEMBERS', ipLens); nBanLengths = #banLengths end
  if not shadow and nBanLengths > 0 then
    -- The address's bits come after the write's numbers; cut out only while an address ban exists.
    local ipBits = sub(nums, ${WRITE_ADDRESS_BITS_AT + 1}, ${WRITE_ADDRESS_BITS_AT} + byte(nums, ${WRITE_ADDRESS_BITS_AT}))
    local family = sub(ipBits, 1, 1)
    local bannedUntil = nil
    for l = 1, nBanLengths do
      local len = banLengths[l]
      if sub(len, 1, 1) == family then
        local untilAt = call('HGET', ipBans, family .. ':' .. sub(ipBits, 3, 2 + tonumber(sub(len, 3))))
        if untilAt and (tonumber(untilAt) == 0 or tonumber(untilAt) > now) then bannedUntil = tonumber(untilAt); break end
      end
    end
    if bannedUntil then answer('banned', bannedUntil) break end
  end
  if anyProtected and call('GETBIT', protectedKey, y * ${MAX_BOARD_SIDE} + x) == 1 and not call('HGET', roles, userId) then answer('protected') break end
  if lastAt >= 0 and now - lastAt < cooldownMs then answer('cooldown', lastAt + cooldownMs - now) break end
  if shadow then
    if lastIdem then keepLastRecord(lastIdem, lastRecord, lastAt, now) end
    remember(userId, now, fmt('%d', now))
    answer('shadow', seq, cooldownMs) break
  end
  local cb, addr = oneCb or countOf[i], ARGV[a + 3]
  local count = cb.counts[addr]
  if count >= ipLimit then answer('ip_limited', max((floor(now / countWidth) + 1) * countWidth - now, 1)) break end
  cb.counts[addr], cb.counted[addr] = count + 1, true

  if not oldest then
    local first = call('ZRANGE', pending, '0', '0', 'WITHSCORES')
    oldest = tonumber(first[2] or '-1')
  end
  local oldestBefore = oldest
  if oldest < 0 or now < oldest then oldest = now end
  seq = seq + 1
  versionN = versionN < now * 1000 and now * 1000 or versionN + 1
  -- The pixel's bit offset and its color as numbers: the server formats them in C (Valkey 8 with
  -- its integer routine) without a Lua string, which fmt makes (with sprintf) each time. Both print
  -- as plain integers on Redis 7's float formatting too: under 10^8, as every offset is.
  bits[nBits + 1], bits[nBits + 2], bits[nBits + 3], bits[nBits + 4] = 'SET', 'u4', (y * width + x) * 4, color
  nBits, nPlaced = nBits + 4, nPlaced + 1
  if not firstVersion then firstVersion = versionN end
  if not oldestPlaced or now < oldestPlaced then oldestPlaced = now end
  if idemTtl > 0 then
    if lastIdem then keepLastRecord(lastIdem, lastRecord, lastAt, now) end
    -- The time, the record a retry is answered with, the key (last: it may hold any character).
    remember(userId, now, fmt(ARGV[a + 4], seq, versionN))
  elseif cooldownMs > 0 or defaultCooldown > 0 then
    if lastIdem then keepLastRecord(lastIdem, lastRecord, lastAt, now) end
    remember(userId, now, fmt('%d', now))
  end
  -- With a feed relay (the default), the relay publishes a batch per tick; this is the per-write way.
  if publishEach then call('PUBLISH', channel, pack('<BI4HHHB', 1, seq, 1, x, y, color)) end
  if nPlaced == 1 then replies[4] = oldestBefore end
  nReplies = nReplies + 1; replies[nReplies] = 'placed'
until true end
if nPlaced > 0 then replies[2], replies[3] = startSeq + 1, firstVersion end

-- Buckets expire two widths past the last check that can need them (placedBucketTtlMs; a backstop once writes
-- stop); the one two before the oldest a check reads now is dropped.
for o = 1, #placedOrder do
  local pb = placedOrder[o]
  local set = placedSets[pb]
  call(unpack(set))
  call('PEXPIRE', set[2], max((pb + 3) * placedWidth + remembered - maxNow, 1))
end
call('UNLINK', bucketName(placedPrefix, oldestBucket - 2), bucketName(countPrefix, floor(minNow / countWidth) - 2))
-- Counts and other integers go to commands as numbers: the server prints them (Valkey 8 with
-- its integer routine), where fmt would make a Lua string with sprintf each time.
for o = 1, #countOrder do
  local ci = countOrder[o]
  local cb = countBuckets[ci]
  local set, n = {'HSET', bucketName(countPrefix, ci)}, 2
  local fields, counts, counted = cb.fields, cb.counts, cb.counted
  for j = 1, #fields do
    local addr = fields[j]
    if counted[addr] then
      set[n + 1], set[n + 2], n = addr, counts[addr], n + 2
    end
  end
  if n > 2 then
    call(unpack(set))
    call('PEXPIRE', set[2], max((ci + 3) * countWidth - maxNow, 1))
  end
end
if seq > startSeq then
  call('MSET', seqKey, seq, versionKey, floor(versionN))
  call(unpack(bits))
  -- One stream entry for the call's placements (consecutive seqs), named by its last seq;
  -- entries wholly older than the last \`kept\` seqs are dropped. One pending record for them.
  -- Usually every write placed, and both are made of the writer's arguments as they came.
  local entry, writers = ARGV[${PLACE_SHARED_ARGS - 1}], ARGV[${PLACE_SHARED_ARGS}]
  if nPlaced < writes then -- so answer() has made valuesOf
    local placed, placedWriters, at = {}, {}, ${REPLY_HEADER}
    for i = 1, writes do
      local kind = replies[at + 1]
      at = at + 1 + valuesOf[kind]
      if kind == 'placed' then
        local a = ${PLACE_SHARED_ARGS} + (i - 1) * ${PLACE_ARGS_PER_WRITE}
        local userId = ARGV[a + 2]
        placed[#placed + 1] = sub(entry, (i - 1) * ${PIXEL_RECORD_BYTES} + 1, i * ${PIXEL_RECORD_BYTES})
        placedWriters[#placedWriters + 1] = pack('${PENDING_WRITER_FORMAT}', unpackNumbers('<d', ARGV[a + 1], ${WRITE_NOW_AT}), #userId) .. userId
      end
    end
    entry, writers = table.concat(placed), table.concat(placedWriters)
  end
  local lastSeq = fmt('%d', seq)
  call('XADD', stream, 'MINID', '~', max(seq - kept + 1, 0), lastSeq .. '-0', 'p', entry)
  call('ZADD', pending, floor(oldestPlaced), lastSeq)
  call('HSET', pendingCalls, lastSeq, pack('${PENDING_CALL_HEADER_FORMAT}', startSeq + 1, firstVersion, nPlaced) .. entry .. writers)
end
-- Usually every write placed: then the header alone says so. Redis reads a reply table up to its
-- first nil, so this ends it there, instead of converting and sending a kind for each write.
if nPlaced == writes then replies[${REPLY_HEADER} + 1] = nil end
return replies
`;
