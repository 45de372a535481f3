// Every Redis key the service uses, in one place. All share one hash tag ({prefix}) so the
// write script's keys live in one cluster slot.
export interface RedisKeys {
  board: string;
  seq: string;
  version: string;
  epoch: string;
  /** "WxH" once the board has grown past its configured size. */
  size: string;
  updates: string;
  pending: string;
  channel: string;
  online: string;
  revokedAll: string;
  lock(name: string): string;
  cooldown(userId: string): string;
  ipPlacements(ip: string): string;
  ipSessions(ip: string, hour: number): string;
  ipReads(ip: string, minute: number): string;
  idempotency(userId: string, key: string): string;
  revoked(userId: string): string;
  /** Guard store (core/guard): a used challenge solution or login state, a user's placement credits, placement counts of a window, the defence level. */
  spent(id: string): string;
  credits(userId: string): string;
  placementWindow(windowStart: number): string;
  defence: string;
}

export function redisKeys(prefix: string): RedisKeys {
  const p = `{${prefix}}`;
  return {
    board: `${p}:board`,
    seq: `${p}:seq`,
    version: `${p}:version`,
    epoch: `${p}:epoch`,
    size: `${p}:size`,
    updates: `${p}:updates`,
    pending: `${p}:pending`,
    channel: `${p}:feed`,
    online: `${p}:online`,
    revokedAll: `${p}:revoked-all`,
    lock: (name) => `${p}:${name}-lock`,
    cooldown: (userId) => `${p}:cooldown:${userId}`,
    ipPlacements: (ip) => `${p}:ip:${ip}`,
    ipSessions: (ip, hour) => `${p}:sessions:${ip}:${hour}`,
    ipReads: (ip, minute) => `${p}:reads:${ip}:${minute}`,
    idempotency: (userId, key) => `${p}:idem:${userId}:${key}`,
    revoked: (userId) => `${p}:revoked:${userId}`,
    spent: (id) => `${p}:spent:${id}`,
    credits: (userId) => `${p}:credits:${userId}`,
    placementWindow: (windowStart) => `${p}:rate:${windowStart}`,
    defence: `${p}:defence`,
  };
}
