// The bot defence on the real stores (Redis, Cassandra): one cooldown per account however many
// sessions write at once, and challenge credits spent exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { accountUserId, signSession } from '../core/domain/session-token.ts';

describe('bot defence on Redis and Cassandra', () => {
  let f: ServiceFixture;
  beforeAll(async () => { f = await startServiceFixture('real', { env: { COOLDOWN_MS: '60000', POW_EVERY: '3' } }); });
  afterAll(async () => f?.close());

  it('1,000 concurrent writes from 50 sessions of one signed-in account: exactly one is placed', async () => {
    const userId = accountUserId(f.services.sessionSecret, 'discord', '80351110224678912');
    const now = Date.now();
    const sessions = Array.from({ length: 50 }, (_, i) => {
      const c = new ApiClient(f.url);
      c.token = signSession(f.services.sessionSecret, { userId, issuedAt: now - i, account: { provider: 'discord', displayName: 'Nelly', ineligible: null } });
      return c;
    });
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => sessions[i % 50]!.place(i % 100, 10 + Math.floor(i / 100), 7)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 429 && r.body.reason === 'cooldown')).toHaveLength(999);
  });

  it('the credits one solved challenge buys are spent once, however many writes race for them', async () => {
    const api = await new ApiClient(f.url).startSession(); // 3 credits
    const creditsTaken = async () => (await f.services.guard.store.takeCredit(api.userId!, 0)) !== null;
    // Writes racing in one cooldown: one places, the others are refused and give their credit back.
    const raced = await Promise.all(Array.from({ length: 20 }, (_, i) => api.request('POST', '/api/pixels', {
      body: JSON.stringify({ x: i, y: 30, color: 2 }), headers: { 'content-type': 'application/json' },
    })));
    expect(raced.filter((r) => r.status === 201)).toHaveLength(1);
    expect([await creditsTaken(), await creditsTaken(), await creditsTaken()]).toEqual([true, true, false]);
  });
});
