import { afterAll, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { RedisPresence } from './redis-presence.ts';
import { CONTRACT_STALE_MS, describePresenceContract } from './presence.contract.ts';
import { startTestRedis } from '../../test-support/test-services.ts';
import type { RedisProcess } from '../../local/processes/redis-process.ts';

let redis: RedisProcess;
beforeAll(async () => { redis = await startTestRedis(); });
afterAll(async () => redis.stop());

describePresenceContract('redis', async () => {
  const presence = await RedisPresence.connect({ url: redis.url, keyPrefix: `p${randomBytes(4).toString('hex')}`, authSecretArn: null }, CONTRACT_STALE_MS);
  return { presence, close: () => presence.close() };
});
