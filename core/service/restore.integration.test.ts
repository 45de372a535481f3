// Restores on real Redis + Cassandra: from a snapshot plus the journal after it, exactly; and as
// a job that a request starts but never waits for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startServiceFixture, type ServiceFixture } from '../../test-support/service-fixture.ts';
import { ApiClient } from '../../test-support/api-client.ts';
import { freshKeyspace, startTestRedis, tempDir } from '../../test-support/test-services.ts';
import { ENTRY, startServiceProcess } from '../../local/processes/node-process.ts';
import { rebuildBoard } from './rebuild.ts';
import { takeSnapshot } from './snapshots.ts';

const SIZE = { BOARD_WIDTH: '40', BOARD_HEIGHT: '30' };

describe('restore from a snapshot and the journal after it, on real Redis and Cassandra', () => {
  let f: ServiceFixture;
  beforeAll(async () => { f = await startServiceFixture('real', { env: { ...SIZE, COOLDOWN_MS: '3000', SNAPSHOT_INTERVAL_MS: '0' } }); });
  afterAll(async () => f?.close());

  const placeMany = async (n: number, offset: number) => {
    const users = await Promise.all(Array.from({ length: n }, () => new ApiClient(f.url).startSession()));
    for (const [i, u] of users.entries()) expect((await u.place((offset + i * 7) % 40, (offset + i * 3) % 30, (i % 15) + 1)).status).toBe(201);
    return users;
  };

  it('gives the live board byte for byte and seq for seq, replaying only the placements after the snapshot, with running cooldowns', async () => {
    await placeMany(60, 0);
    const snapshot = (await takeSnapshot(f.services))!;
    await new Promise((r) => setTimeout(r, 3100)); // the snapshot is now older than the cooldown
    const recent = await placeMany(25, 5);
    const live = await recent[0]!.board();
    const raw = new Redis(f.redisUrl!);
    await raw.flushall();
    raw.disconnect();

    const result = (await rebuildBoard(f.services))!;
    expect(result.fromSnapshotSeq).toBe(snapshot.seq);
    expect(result.replayed).toBe(25);
    const restored = (await f.services.store.snapshot())!;
    expect(restored.seq).toBe(live.seq);
    expect(Buffer.from(restored.bytes).equals(Buffer.from(live.bytes))).toBe(true);
    // Everyone who placed after the snapshot is still in their cooldown; a new user is not.
    for (const u of recent) expect((await u.place(0, 0, 1)).status).toBe(429);
    expect((await (await new ApiClient(f.url).startSession()).place(0, 0, 1)).body.seq).toBe(live.seq + 1);
  });

  it('without a snapshot old enough, replays the whole journal and still gives the live board', async () => {
    await placeMany(10, 11);
    await takeSnapshot(f.services); // too young to start from
    const live = await new ApiClient(f.url).board();
    const raw = new Redis(f.redisUrl!);
    await raw.flushall();
    raw.disconnect();
    const result = (await rebuildBoard(f.services))!;
    expect(result.fromSnapshotSeq).not.toBe(live.seq);
    const restored = (await f.services.store.snapshot())!;
    expect(restored.seq).toBe(live.seq);
    expect(Buffer.from(restored.bytes).equals(Buffer.from(live.bytes))).toBe(true);
  });
});

describe('restore as a job', () => {
  it('a request that finds the board missing starts one restore job and gets a fast 503 with Retry-After; the board comes back whole', async () => {
    const redis = await startTestRedis();
    const cassandra = await freshKeyspace();
    const runner = await startServiceProcess({
      ...SIZE, REDIS_URL: redis.url, CASSANDRA_CONTACT_POINTS: '127.0.0.1', CASSANDRA_PORT: String(cassandra.port), CASSANDRA_KEYSPACE: cassandra.keyspace,
      DATA_DIR: tempDir('job'), SESSION_SECRET: 's', SESSIONS_PER_IP_PER_HOUR: '100000', PLACEMENTS_PER_IP: '100000', REBUILD_JOB: 'process',
    }, ENTRY.runner, 'ignore');
    try {
      const url = `http://127.0.0.1:${runner.port}`;
      const users = await Promise.all(Array.from({ length: 20 }, () => new ApiClient(url).startSession()));
      for (const [i, u] of users.entries()) await u.place(i, i, (i % 15) + 1);
      // The board is served from a copy published every second: wait for the one with every write.
      await expect.poll(async () => (await users[0]!.board()).seq, { timeout: 10_000 }).toBe(users.length);
      const live = await users[0]!.board();
      const raw = new Redis(redis.url);
      await raw.flushall();
      const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${url}/api/board`)));
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      await expect.poll(async () => (await fetch(`${url}/api/board`)).status, { timeout: 60_000, interval: 250 }).toBe(200);
      const restored = await users[0]!.board();
      expect(restored.seq).toBe(live.seq);
      expect(Buffer.from(restored.bytes).equals(Buffer.from(live.bytes))).toBe(true);
      raw.disconnect();
      // Ten requests (and the polling) started one job.
      const metricsText = await (await fetch(`${url}/metrics`)).text();
      expect(metricsText).toMatch(/^pixel_rebuilds_total\{outcome="job_started"\} 1$/m);
    } finally {
      await runner.stop();
      await redis.stop();
    }
  });
});
