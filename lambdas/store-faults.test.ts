// Store faults on the real stores: Redis or Cassandra taken away mid-run (a cut proxy).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../local/services/api-client.ts';
import { startServiceFixture, type ServiceFixture } from '../local/services/service-fixture.ts';

describe('store faults on real Redis and Cassandra', () => {
  let f: ServiceFixture;
  const user = () => new ApiClient(f.url).startSession();
  const healthy = async () => (await fetch(`${f.url}/healthz`)).status === 200;

  beforeAll(async () => { f = await startServiceFixture('real', { proxies: true }); });
  afterAll(async () => f?.close());

  it('Cassandra down: the write gets 503, and once it is back the stores converge', async () => {
    const alice = await user();
    const bob = await user();
    expect((await alice.place(1, 1, 5)).status).toBe(201);
    await f.cassandraProxy!.cut();
    const failed = await bob.place(2, 2, 6);
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ error: 'unavailable', message: expect.any(String) });
    expect(failed.headers.get('retry-after')).toBe('1');
    expect(await healthy()).toBe(false);

    await f.cassandraProxy!.restore();
    await expect.poll(healthy, { timeout: 30_000, interval: 250 }).toBe(true);
    // A write made after the orphan threshold repairs what the failed writer left unpersisted.
    await new Promise((r) => setTimeout(r, 5_500));
    expect((await (await user()).place(3, 3, 7)).status).toBe(201);
    await expect.poll(() => f.services.log.pixel(2, 2), { timeout: 10_000 }).toMatchObject({ color: 6, userId: bob.userId });

    const live = await alice.board();
    await f.loseLiveState();
    const rebuilt = await alice.board();
    expect(rebuilt.seq).toBe(live.seq);
    expect(Buffer.from(rebuilt.bytes).equals(Buffer.from(live.bytes))).toBe(true);
  });

  it('Redis down: writes and board reads get 503 and nothing is persisted; back up, the same user can place', async () => {
    const carol = await user();
    const before = await carol.board();
    await f.redisProxy!.cut();
    const failed = await carol.place(4, 4, 8);
    expect(failed.status).toBe(503);
    expect(failed.body.error).toBe('unavailable');
    expect((await carol.request('GET', '/api/board')).status).toBe(503);
    expect(await healthy()).toBe(false);
    expect(await f.services.log.pixel(4, 4)).toBeNull();

    await f.redisProxy!.restore();
    await expect.poll(healthy, { timeout: 30_000, interval: 250 }).toBe(true);
    const placed = await carol.place(4, 4, 8);
    expect(placed.status).toBe(201);
    expect(placed.body.seq).toBe(before.seq + 1);
  });
});
