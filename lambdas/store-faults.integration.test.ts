// Store faults on the real stores: Redis or Cassandra taken away mid-run (a cut proxy).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../test-support/api-client.ts';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';

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
    const bobWrites = () => bob.request('POST', '/api/pixels', {
      body: JSON.stringify({ x: 2, y: 2, color: 6 }), headers: { 'content-type': 'application/json', 'idempotency-key': 'bob-1' },
    });
    const failed = await bobWrites();
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ error: 'unavailable', message: expect.any(String) });
    expect(failed.headers.get('retry-after')).toBe('1');
    expect(await healthy()).toBe(false);

    // Persistence is known to be down now: writes are refused before they touch the live board.
    const during = await alice.board();
    const others = await Promise.all(Array.from({ length: 20 }, () => user()));
    const refused = await Promise.all(others.map((o, i) => o.place(10 + i, 10, 3)));
    expect(refused.map((r) => r.status)).toEqual(refused.map(() => 503));
    expect(refused.every((r) => /nothing was changed/.test(String(r.body.message)))).toBe(true);
    expect((await alice.board()).seq).toBe(during.seq);
    for (const o of others) expect(await f.services.store.cooldownStart(o.userId!)).toBeNull();

    await f.cassandraProxy!.restore();
    await expect.poll(healthy, { timeout: 30_000, interval: 250 }).toBe(true);
    // A write made after the orphan threshold repairs what the failed writer left unpersisted.
    await new Promise((r) => setTimeout(r, 5_500));
    expect((await (await user()).place(3, 3, 7)).status).toBe(201);
    await expect.poll(() => f.services.log.pixel(2, 2), { timeout: 10_000 }).toMatchObject({ color: 6, userId: bob.userId });
    // Bob retries with the same key: he gets the placement his first attempt made, not a second one.
    const retried = await bobWrites();
    expect(retried.status).toBe(201);
    expect(retried.body.seq).toBe(during.seq);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await f.services.log.pixel(2, 2)).toMatchObject({ color: 6, userId: bob.userId, seq: during.seq });
    // The others were never placed, so their cooldowns never started: they can place now.
    expect((await others[0]!.place(3, 4, 7)).status).toBe(201);

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
