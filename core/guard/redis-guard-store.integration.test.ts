import { afterAll, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { describeGuardStoreContract } from './guard-store.contract.ts';
import { RedisGuardStore } from './redis-guard-store.ts';
import { startTestRedis } from '../../test-support/test-services.ts';
import type { RedisProcess } from '../../local/processes/redis-process.ts';

let redis: RedisProcess;
beforeAll(async () => { redis = await startTestRedis(); });
afterAll(async () => redis?.stop());

describeGuardStoreContract('Redis', () => RedisGuardStore.connect({ url: redis.url, keyPrefix: `t${randomBytes(4).toString('hex')}`, authSecretArn: null }));
