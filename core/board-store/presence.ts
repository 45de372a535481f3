// How many people are watching, across every socket server: each server reports its own
// count every few seconds; a report not refreshed in time no longer counts.
import { Redis } from 'ioredis';
import type { RedisConfig } from '../config.ts';
import { redisClientOptions } from './redis-board-store.ts';
import { redisKeys } from './redis-keys.ts';

export interface Presence {
  report(serverId: string, count: number, now: number): Promise<void>;
  total(now: number): Promise<number>;
  close(): Promise<void>;
}

export class EmbeddedPresence implements Presence {
  private readonly reports = new Map<string, { count: number; at: number }>();
  constructor(private readonly staleMs: number) {}

  async report(serverId: string, count: number, now: number): Promise<void> {
    this.reports.set(serverId, { count, at: now });
  }

  async total(now: number): Promise<number> {
    let sum = 0;
    for (const [id, r] of this.reports) {
      if (now - r.at > this.staleMs) this.reports.delete(id);
      else sum += r.count;
    }
    return sum;
  }

  async close(): Promise<void> {}
}

export class RedisPresence implements Presence {
  private readonly key: string;
  constructor(private readonly client: Redis, keyPrefix: string, private readonly staleMs: number) {
    this.key = redisKeys(keyPrefix).online;
  }

  static async connect(redis: RedisConfig, staleMs: number): Promise<RedisPresence> {
    const client = new Redis(redis.url, redisClientOptions());
    client.on('error', () => { /* reported per call */ });
    await client.connect();
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
