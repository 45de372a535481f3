import { afterAll, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { RedisBoardStore } from '../board-store/redis-board-store.ts';
import { CONTRACT_RULES, CONTRACT_SIZE } from '../board-store/board-store.contract.ts';
import { RedisCommunityStore } from './redis-community-store.ts';
import { describeCommunityStoreContract } from './community-store.contract.ts';
import { startTestRedis } from '../../test-support/test-services.ts';
import type { RedisProcess } from '../../local/processes/redis-process.ts';

let redis: RedisProcess;
beforeAll(async () => { redis = await startTestRedis(); });
afterAll(async () => redis.stop());

describeCommunityStoreContract('redis', async () => {
  const config = { url: redis.url, keyPrefix: `c${randomBytes(4).toString('hex')}`, authSecretArn: null };
  const board = await RedisBoardStore.connect({ redis: config, size: CONTRACT_SIZE, rules: CONTRACT_RULES, sessionsPerIpPerHour: 2, updatesKept: 100 });
  const store = new RedisCommunityStore(board.connection, config);
  return { store, close: async () => { await store.close(); await board.close(); } };
});
