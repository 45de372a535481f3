// Every Redis key the service uses, in one place. All share one hash tag ({prefix}) so the
// write script's keys live in one cluster slot.
import { addressKey } from '../domain/client-ip.ts';

export interface RedisKeys {
  board: string;
  seq: string;
  version: string;
  epoch: string;
  /** "WxH" once the board has grown past its configured size. */
  size: string;
  /** JSON of the newest published board (core/publish). */
  published: string;
  updates: string;
  /** Placements not yet confirmed persisted: a sorted set of records, and each call's placements (pending-calls.ts). */
  pending: string;
  pendingCalls: string;
  channel: string;
  /** Pub/sub: the name of each lease a holder releases (core/board-store/redis-leases.ts). */
  leases: string;
  online: string;
  /** The sum of the fresh presence reports, and the lock of the server that next recounts it (redis-presence.ts). */
  onlineSum: string;
  onlineSweep: string;
  revokedAll: string;
  lock(name: string): string;
  /** Hashes per time bucket (PLACE_PIXELS_LUA): a user's last placement, an address's placements; the script adds "<width>:<index>". */
  placedPrefix: string;
  addressCountPrefix: string;
  /** The placements' bucket width (ms), stored by the first write (placedBucketMs). */
  placedWidth: string;
  placedBucket(width: number, index: number): string;
  /** The caps on sessions and update reads per address: uses per bucket (TAKE_SLOT_LUA). */
  ipSessions(ip: string): string;
  ipReads(ip: string): string;
  idempotency(userId: string, key: string): string;
  revoked(userId: string): string;
  /** Guard store (core/guard): a used challenge solution or login state, a user's placement credits, placement counts of a window, the defence level. */
  spent(id: string): string;
  credits(userId: string): string;
  placementWindow(windowStart: number): string;
  defence: string;
  /** Moderation's live copies (core/board-store/redis-moderation.ts). */
  boardState: string;
  bans: string;
  ipBans: string;
  ipBanLengths: string;
  protectedMap: string;
  roles: string;
  /** A user's reports, counted per bucket (TAKE_SLOT_LUA). */
  reports(userId: string): string;
  // --- templates, heavy-read caps (core/community) ---
  /** A cap's uses per bucket (TAKE_SLOT_LUA): `name` says what is counted, `key` for whom. */
  limit(name: string, key: string): string;
  /** Hash: template id → its tracked meta (JSON). */
  templateIndex: string;
  /** A template's target colours (gzipped; 255 = not part of the template). */
  templateTarget(id: string): string;
  /** Hash: template id → pixels currently correct. */
  templateCounts: string;
  /** "seq:epoch" the counts are current to. */
  templateCursor: string;
  /** Grows with every template registered: the tracker reloads when it moves. */
  templateVersion: string;
  /** Correct → wrong transitions of a template in one minute. */
  templateGriefs(id: string, minute: number): string;
  /** Pub/sub channel of grief events for the socket servers. */
  templateEvents: string;
}

export function redisKeys(prefix: string): RedisKeys {
  const p = `{${prefix}}`;
  return {
    board: `${p}:board`,
    seq: `${p}:seq`,
    version: `${p}:version`,
    epoch: `${p}:epoch`,
    size: `${p}:size`,
    published: `${p}:published`,
    updates: `${p}:updates`,
    pending: `${p}:pending`,
    pendingCalls: `${p}:pending-calls`,
    channel: `${p}:feed`,
    leases: `${p}:leases`,
    online: `${p}:online`,
    onlineSum: `${p}:online-sum`,
    onlineSweep: `${p}:online-sweep`,
    revokedAll: `${p}:revoked-all`,
    lock: (name) => `${p}:${name}-lock`,
    placedPrefix: `${p}:placed:`,
    placedWidth: `${p}:placed-width`,
    placedBucket: (width, index) => `${p}:placed:${width}:${index}`,
    addressCountPrefix: `${p}:placements:`,
    // Caps count an IPv6 address by its /64 (addressKey).
    ipSessions: (ip) => `${p}:sessions:${addressKey(ip)}`,
    ipReads: (ip) => `${p}:reads:${addressKey(ip)}`,
    idempotency: (userId, key) => `${p}:idem:${userId}:${key}`,
    revoked: (userId) => `${p}:revoked:${userId}`,
    spent: (id) => `${p}:spent:${id}`,
    credits: (userId) => `${p}:credits:${userId}`,
    placementWindow: (windowStart) => `${p}:rate:${windowStart}`,
    defence: `${p}:defence`,
    boardState: `${p}:board-state`,
    bans: `${p}:bans`,
    ipBans: `${p}:ip-bans`,
    ipBanLengths: `${p}:ip-ban-lengths`,
    protectedMap: `${p}:protected`,
    roles: `${p}:roles`,
    reports: (userId) => `${p}:reports:${userId}`,
    limit: (name, key) => `${p}:limit:${name}:${key}`,
    templateIndex: `${p}:tpl:index`,
    templateTarget: (id) => `${p}:tpl:target:${id}`,
    templateCounts: `${p}:tpl:counts`,
    templateCursor: `${p}:tpl:cursor`,
    templateVersion: `${p}:tpl:version`,
    templateGriefs: (id, minute) => `${p}:tpl:griefs:${id}:${minute}`,
    templateEvents: `${p}:tpl:events`,
  };
}
