// The guard store in Redis: SET NX for single use, a hash of credits per user taken by a small
// script (so two sessions of one account can never spend one credit twice), INCR counters per
// window and one key for the defence level. Its own connection, so the board store's hot
// path stays as it is.
import { Redis } from 'ioredis';
import type { RedisConfig } from '../config.ts';
import { StoreUnavailableError } from '../errors.ts';
import { redisClientOptions } from '../board-store/redis-client.ts';
import { redisKeys, type RedisKeys } from '../board-store/redis-keys.ts';
import { MAX_LEVEL, type DefenceLevel, type DefenceState, type GuardStore, type WindowCount } from './guard-store.ts';

/** KEYS: credits hash. ARGV: lowest level, highest level. Returns the level a credit was taken from, or -1. */
export const TAKE_CREDIT_LUA = `
for l = tonumber(ARGV[1]), tonumber(ARGV[2]) do
  if tonumber(redis.call('HGET', KEYS[1], l) or '0') > 0 then
    redis.call('HINCRBY', KEYS[1], l, -1)
    return l
  end
end
return -1
`;

interface ScriptedRedis extends Redis {
  takeCredit(key: string, level: number, max: number): Promise<number>;
}

export class RedisGuardStore implements GuardStore {
  private readonly keys: RedisKeys;

  private constructor(private readonly client: ScriptedRedis, prefix: string) {
    this.keys = redisKeys(prefix);
  }

  static async connect(redis: RedisConfig): Promise<RedisGuardStore> {
    const client = new Redis(redis.url, redisClientOptions()) as ScriptedRedis;
    client.on('error', () => { /* surfaced per command as StoreUnavailableError */ });
    client.defineCommand('takeCredit', { numberOfKeys: 1, lua: TAKE_CREDIT_LUA });
    try {
      await client.connect();
    } catch (err) {
      client.disconnect();
      throw new StoreUnavailableError('cannot reach Redis for the guard store', { cause: err, store: 'redis' });
    }
    return new RedisGuardStore(client, redis.keyPrefix);
  }

  private async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new StoreUnavailableError(`Redis ${what} failed: ${(err as Error).message}`, { cause: err, store: 'redis' });
    }
  }

  async spendOnce(id: string, expiresAt: number): Promise<boolean> {
    const reply = await this.run('spend', () => this.client.set(this.keys.spent(id), '1', 'PXAT', Math.max(expiresAt, Date.now() + 1000), 'NX'));
    return reply === 'OK';
  }

  async grantCredits(userId: string, level: DefenceLevel, count: number, ttlMs: number): Promise<void> {
    const key = this.keys.credits(userId);
    await this.run('grant', () => this.client.multi().hset(key, String(level), count).pexpire(key, ttlMs).exec());
  }

  async takeCredit(userId: string, level: DefenceLevel): Promise<DefenceLevel | null> {
    const l = await this.run('take credit', () => this.client.takeCredit(this.keys.credits(userId), level, MAX_LEVEL));
    return l < 0 ? null : (l as DefenceLevel);
  }

  async refundCredit(userId: string, level: DefenceLevel): Promise<void> {
    await this.run('refund', () => this.client.hincrby(this.keys.credits(userId), String(level), 1));
  }

  async countPlacements(windowStart: number, all: number, fresh: number, ttlMs: number): Promise<void> {
    const key = this.keys.placementWindow(windowStart);
    const m = this.client.multi().hincrby(key, 'all', all);
    if (fresh) m.hincrby(key, 'fresh', fresh);
    await this.run('count', () => m.pexpire(key, ttlMs).exec());
  }

  async placementCounts(windowStarts: readonly number[]): Promise<WindowCount[]> {
    if (windowStarts.length === 0) return [];
    const m = this.client.multi();
    for (const s of windowStarts) m.hmget(this.keys.placementWindow(s), 'all', 'fresh');
    const replies = (await this.run('counts', () => m.exec())) ?? [];
    return replies.map(([err, v]) => {
      if (err) throw new StoreUnavailableError(`Redis counts failed: ${err.message}`, { cause: err, store: 'redis' });
      const [all, fresh] = v as [string | null, string | null];
      return { all: Number(all ?? 0), fresh: Number(fresh ?? 0) };
    });
  }

  async defenceState(): Promise<DefenceState> {
    const raw = await this.run('level', () => this.client.get(this.keys.defence));
    const m = /^([0-2]):(\d+)$/.exec(raw ?? '');
    return m ? { level: Number(m[1]) as DefenceLevel, since: Number(m[2]) } : { level: 0, since: 0 };
  }

  async setDefenceState(state: DefenceState): Promise<void> {
    await this.run('set level', () => this.client.set(this.keys.defence, `${state.level}:${state.since}`));
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
