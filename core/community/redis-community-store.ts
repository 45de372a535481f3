// Templates' live state and rate limits in Redis, on the board store's connection (every key
// in redis-keys.ts, under the same hash tag). Counter changes go through one Lua script that
// checks the tracker's lease first, so a commit is all or nothing and never from a lost lease.
import { gunzipSync, gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import type { RedisConfig } from '../config.ts';
import { StoreUnavailableError } from '../errors.ts';
import { reportFailure } from '../observability/telemetry.ts';
import { slotArgs, TAKE_SLOT_LUA } from '../board-store/redis-scripts.ts';
import { defineLeaseCommands, type LeaseRedis, takeRedisLease } from '../board-store/redis-leases.ts';
import type { LeaseTry } from '../board-store/board-store.ts';
import { redisKeys, type RedisKeys } from '../board-store/redis-keys.ts';
import {
  griefMinutes, MINUTE, type CommunityStore, type GriefEvent, type ProgressCommit, type TemplateCounts, type TemplateMeta,
  type TrackedTemplate, type TrackerCursor, type TrackerLease,
} from './community-store.ts';

/**
 * KEYS: lock, counts, cursor, then one grief key per grief pair.
 * ARGV: token, cursor, replaceAll (0/1), nSet, nAdd, griefTtlMs, then nSet (id, n), nAdd (id, n), and one n per grief key.
 */
const COMMIT_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '1' then redis.call('DEL', KEYS[2]) end
local nSet = tonumber(ARGV[4])
local nAdd = tonumber(ARGV[5])
local at = 7
for i = 1, nSet do redis.call('HSET', KEYS[2], ARGV[at], ARGV[at + 1]); at = at + 2 end
for i = 1, nAdd do redis.call('HINCRBY', KEYS[2], ARGV[at], ARGV[at + 1]); at = at + 2 end
for k = 4, #KEYS do
  redis.call('INCRBY', KEYS[k], ARGV[at]); redis.call('PEXPIRE', KEYS[k], ARGV[6]); at = at + 1
end
redis.call('SET', KEYS[3], ARGV[2])
return 1
`;

interface CommunityRedis extends LeaseRedis {
  commitProgress(...args: (string | number)[]): Promise<number>;
  takeSlot(...args: (string | number)[]): Promise<[number, number]>;
}

const parseCursor = (v: string | null): TrackerCursor | null => {
  if (!v) return null;
  const [seq, epoch] = v.split(':').map(Number);
  return { seq: seq!, epoch: epoch! };
};

export class RedisCommunityStore implements CommunityStore {
  readonly keys: RedisKeys;
  private readonly client: CommunityRedis;

  constructor(connection: Redis, private readonly config: RedisConfig) {
    this.keys = redisKeys(config.keyPrefix);
    this.client = connection as CommunityRedis;
    // defineCommand is idempotent per name on one connection.
    this.client.defineCommand('commitProgress', { lua: COMMIT_LUA });
    this.client.defineCommand('takeSlot', { numberOfKeys: 1, lua: TAKE_SLOT_LUA });
    defineLeaseCommands(this.client);
  }

  private async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new StoreUnavailableError(`Redis ${what} failed: ${(err as Error).message}`, { cause: err, store: 'redis' });
    }
  }

  async register(t: TrackedTemplate): Promise<void> {
    const { target, ...meta } = t;
    await this.run('template register', () => this.client.multi()
      .set(this.keys.templateTarget(t.id), gzipSync(target))
      .hset(this.keys.templateIndex, t.id, JSON.stringify(meta))
      .incr(this.keys.templateVersion)
      .exec());
  }

  async version(): Promise<number> {
    return Number((await this.run('template version', () => this.client.get(this.keys.templateVersion))) ?? 0);
  }

  async ids(): Promise<string[]> {
    return this.run('templates', () => this.client.hkeys(this.keys.templateIndex));
  }

  async tracked(ids?: readonly string[]): Promise<TrackedTemplate[]> {
    const metas: TemplateMeta[] = ids
      ? (await this.run('templates', () => (ids.length ? this.client.hmget(this.keys.templateIndex, ...ids) : Promise.resolve([]))))
        .filter((v): v is string => v !== null).map((v) => JSON.parse(v) as TemplateMeta)
      : Object.values(await this.run('templates', () => this.client.hgetall(this.keys.templateIndex))).map((v) => JSON.parse(v) as TemplateMeta);
    const out: TrackedTemplate[] = [];
    for (let i = 0; i < metas.length; i += 100) {
      const page = metas.slice(i, i + 100);
      const targets = await this.run('template targets', () => this.client.mgetBuffer(...page.map((m) => this.keys.templateTarget(m.id))));
      page.forEach((m, j) => {
        const gz = targets[j];
        if (gz) out.push({ ...m, target: new Uint8Array(gunzipSync(gz)) });
      });
    }
    return out;
  }

  async meta(id: string): Promise<TemplateMeta | null> {
    const v = await this.run('template', () => this.client.hget(this.keys.templateIndex, id));
    return v ? (JSON.parse(v) as TemplateMeta) : null;
  }

  async counts(id: string, now: number): Promise<TemplateCounts> {
    const minutes = griefMinutes(now);
    const replies = await this.run('template counts', () => this.client.multi()
      .hget(this.keys.templateCounts, id)
      .get(this.keys.templateCursor)
      .mget(...minutes.map((m) => this.keys.templateGriefs(id, m)))
      .exec());
    const correct = replies?.[0]?.[1] as string | null;
    const cursor = parseCursor(replies?.[1]?.[1] as string | null);
    const griefs = (replies?.[2]?.[1] ?? []) as (string | null)[];
    return {
      correct: correct === null ? null : Number(correct),
      seq: correct === null ? null : (cursor?.seq ?? null),
      griefedLastHour: griefs.reduce((n, v) => n + Number(v ?? 0), 0),
    };
  }

  async cursor(): Promise<TrackerCursor | null> {
    return parseCursor(await this.run('template cursor', () => this.client.get(this.keys.templateCursor)));
  }

  tryLease(ttlMs: number): Promise<LeaseTry<TrackerLease>> {
    return takeRedisLease(this.client, this.keys, 'templates', ttlMs, (what, op) => this.run(what, op));
  }

  async commit(lease: TrackerLease, c: ProgressCommit): Promise<boolean> {
    const minute = Math.floor(c.at / MINUTE);
    const set = [...(c.set ?? [])];
    const add = [...(c.add ?? [])].filter(([, n]) => n !== 0);
    const griefs = [...(c.griefs ?? [])].filter(([, n]) => n > 0);
    const keys = [this.keys.lock('templates'), this.keys.templateCounts, this.keys.templateCursor, ...griefs.map(([id]) => this.keys.templateGriefs(id, minute))];
    const args = [
      lease.token, `${c.cursor.seq}:${c.cursor.epoch}`, c.replaceAll ? 1 : 0, set.length, add.length, 2 * 3_600_000,
      ...set.flat(), ...add.flat(), ...griefs.map(([, n]) => n),
    ];
    return (await this.run('template commit', () => this.client.commitProgress(keys.length, ...keys, ...args))) === 1;
  }

  async publishGriefs(events: readonly GriefEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.run('grief publish', () => this.client.publish(this.keys.templateEvents, JSON.stringify(events)));
  }

  async subscribeGriefs(handler: (event: GriefEvent) => void): Promise<{ close(): Promise<void> }> {
    // Pub/sub needs its own connection. A grief alert lost while it reconnects is only a missed notice.
    const sub = new Redis(this.config.url, { lazyConnect: true, retryStrategy: (n) => Math.min(50 * 2 ** n, 1000) });
    sub.on('error', () => { /* reconnects by itself */ });
    sub.on('message', (_channel: string, message: string) => {
      try {
        for (const e of JSON.parse(message) as GriefEvent[]) handler(e);
      } catch (err) {
        reportFailure('grief-message', err);
      }
    });
    await sub.connect();
    await sub.subscribe(this.keys.templateEvents);
    return { close: async () => { sub.disconnect(); } };
  }

  async take(name: string, key: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; retryAfterMs: number }> {
    const [allowed, retryAfterMs] = await this.run('limit', () => this.client.takeSlot(this.keys.limit(name, key), ...slotArgs(limit, windowMs, now)));
    return { allowed: allowed === 1, retryAfterMs };
  }

  async close(): Promise<void> {
    // The connection belongs to the board store, which closes it.
  }
}
