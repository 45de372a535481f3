// Presence in Redis: one hash field per socket server, "count:reportedAt".
import { Redis } from 'ioredis';
import type { RedisConfig } from '../config.ts';
import { StoreUnavailableError } from '../errors.ts';
import { redisClientOptions } from '../board-store/redis-board-store.ts';
import { redisKeys } from '../board-store/redis-keys.ts';
import type { Presence } from './presence.ts';

export class RedisPresence implements Presence {
  private readonly key: string;
  private constructor(private readonly client: Redis, keyPrefix: string, private readonly staleMs: number) {
    this.key = redisKeys(keyPrefix).online;
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
    return new RedisPresence(client, redis.keyPrefix, staleMs);
  }

  async report(serverId: string, count: number, now: number): Promise<void> {
    await this.client.hset(this.key, serverId, `${count}:${now}`);
  }

  async total(now: number): Promise<number> {
    const all = await this.client.hgetall(this.key);
    let sum = 0;
    const stale: string[] = [];
    for (const [id, value] of Object.entries(all)) {
      const [count, at] = value.split(':').map(Number) as [number, number];
      if (now - at > this.staleMs) stale.push(id);
      else sum += count;
    }
    if (stale.length) await this.client.hdel(this.key, ...stale);
    return sum;
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
