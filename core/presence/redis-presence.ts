// Presence in Redis: one hash field per socket server, "count:reportedAt", and their sum, kept
// as each report changes it. Every server asks for the total every few seconds: reading the sum
// costs O(1), where summing the hash each time cost every server O(servers), O(servers²) in all
// (with 200 servers, the costliest thing they did; docs/PERFORMANCE.md, "Idle socket servers").
// Once a period one of them recounts the hash, dropping stale reports (a server that died).
import { Redis } from 'ioredis';
import type { RedisConfig } from '../config.ts';
import { StoreUnavailableError } from '../errors.ts';
import { redisClientOptions } from '../board-store/redis-client.ts';
import { redisKeys, type RedisKeys } from '../board-store/redis-keys.ts';
import type { Presence } from './presence.ts';

/** KEYS: reports, sum. ARGV: server id, count, at. Replaces the server's report and moves the sum by the difference. */
const REPORT_LUA = `
local previous = redis.call('HGET', KEYS[1], ARGV[1])
local old = previous and tonumber(string.match(previous, '^(%d+):')) or 0
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[3])
return redis.call('INCRBY', KEYS[2], tonumber(ARGV[2]) - old)
`;

/**
 * KEYS: reports, sum, sweep lock. ARGV: now, staleMs, sweepEveryMs. The sum; once per
 * sweepEveryMs (whoever asks first) recounted from the fresh reports, the stale ones dropped.
 */
const TOTAL_LUA = `
if not redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[3], 'NX') then return tonumber(redis.call('GET', KEYS[2]) or '0') end
local now, staleMs, sum = tonumber(ARGV[1]), tonumber(ARGV[2]), 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local count, at = string.match(all[i + 1], '^(%d+):(%d+)$')
  -- A report that is stale, or not one at all, is dropped (an error here would stop every later recount).
  if not count or now - tonumber(at) > staleMs then redis.call('HDEL', KEYS[1], all[i]) else sum = sum + tonumber(count) end
end
redis.call('SET', KEYS[2], sum)
return sum
`;

interface PresenceRedis extends Redis {
  reportOnline(reports: string, sum: string, serverId: string, count: number, at: number): Promise<number>;
  totalOnline(reports: string, sum: string, sweep: string, now: number, staleMs: number, sweepEveryMs: number): Promise<number>;
}

export class RedisPresence implements Presence {
  private readonly keys: RedisKeys;
  private constructor(private readonly client: PresenceRedis, keyPrefix: string, private readonly staleMs: number) {
    this.keys = redisKeys(keyPrefix);
    client.defineCommand('reportOnline', { numberOfKeys: 2, lua: REPORT_LUA });
    client.defineCommand('totalOnline', { numberOfKeys: 3, lua: TOTAL_LUA });
  }

  static async connect(redis: RedisConfig, staleMs: number): Promise<RedisPresence> {
    const client = new Redis(redis.url, redisClientOptions());
    client.on('error', () => { /* surfaced per call */ });
    try {
      await client.connect();
    } catch (err) {
      client.disconnect();
      throw new StoreUnavailableError('cannot reach Redis for presence', { cause: err, store: 'redis' });
    }
    return new RedisPresence(client as PresenceRedis, redis.keyPrefix, staleMs);
  }

  async report(serverId: string, count: number, now: number): Promise<void> {
    await this.client.reportOnline(this.keys.online, this.keys.onlineSum, serverId, count, now);
  }

  /** Stale reports are dropped at the next recount: a dead server counts for at most a third of staleMs longer. */
  async total(now: number): Promise<number> {
    const { online, onlineSum, onlineSweep } = this.keys;
    return this.client.totalOnline(online, onlineSum, onlineSweep, now, this.staleMs, Math.max(Math.floor(this.staleMs / 3), 1));
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
