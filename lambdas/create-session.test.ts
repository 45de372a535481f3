import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSession } from '../test-support/pow-solver.ts';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';

describe('POST /api/session', () => {
  let f: ServiceFixture;
  beforeAll(async () => {
    f = await startServiceFixture('embedded', { env: { SESSIONS_PER_IP_PER_HOUR: '2' } });
  });
  afterAll(async () => f?.close());

  it('caps sessions per IP: the third in an hour gets 429 with Retry-After, and no cookie', async () => {
    for (let i = 0; i < 2; i++) expect((await postSession(f.url)).status).toBe(201);
    const third = await postSession(f.url);
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ error: 'rate_limited', message: expect.any(String), retryAfterMs: expect.any(Number) });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(third.headers.get('set-cookie')).toBeNull();
  });

  it('counts the address the proxy saw, not one the client claims in X-Forwarded-For', async () => {
    const forged = await postSession(f.url, { 'x-forwarded-for': '203.0.113.9' });
    expect(forged.status).toBe(429);
  });
});
