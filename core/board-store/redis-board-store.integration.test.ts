import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { RedisBoardStore } from './redis-board-store.ts';
import { CONTRACT_KEPT, CONTRACT_RULES, CONTRACT_SIZE, describeBoardStoreContract } from './board-store.contract.ts';
import { startTestRedis } from '../../test-support/test-services.ts';
import type { RedisProcess } from '../../local/processes/redis-process.ts';
import { createBoard } from '../domain/board-codec.ts';
import { StoreUnavailableError } from './board-store.ts';

let redis: RedisProcess;
beforeAll(async () => { redis = await startTestRedis(); });
afterAll(async () => redis.stop());

function open(keyPrefix = `t${randomBytes(4).toString('hex')}`) {
  return RedisBoardStore.connect({
    redis: { url: redis.url, keyPrefix, authSecretArn: null }, size: CONTRACT_SIZE, rules: CONTRACT_RULES, sessionsPerIpPerHour: 2,
    updatesKept: CONTRACT_KEPT,
  });
}

describeBoardStoreContract('redis', async () => {
  const store = await open();
  return { store, close: () => store.close() };
});

describe('redis board store layout', () => {
  it('stores the board as the BITFIELD u4 layout the HTTP API serves', async () => {
    const store = await open('layout');
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
    await store.place({ x: 3, y: 1, color: 12, userId: 'u', ip: 'i', now: Date.now() });
    const raw = new Redis(redis.url);
    const [value] = (await raw.bitfield('{layout}:board', 'GET', 'u4', '#23')) as number[];
    expect(value).toBe(12);
    raw.disconnect();
    await store.close();
  });

  it('fails fast with StoreUnavailableError when Redis is gone', async () => {
    const store = await open();
    const other = await startTestRedis();
    const victim = await RedisBoardStore.connect({
      redis: { url: other.url, keyPrefix: 'x', authSecretArn: null }, size: CONTRACT_SIZE, rules: CONTRACT_RULES, sessionsPerIpPerHour: 2, updatesKept: CONTRACT_KEPT,
    });
    await other.stop();
    const started = Date.now();
    await expect(victim.currentSeq()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(5000);
    await victim.close();
    await store.close();
  });
});
