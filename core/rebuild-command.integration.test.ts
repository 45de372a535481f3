// `npm run rebuild` against the real stores: after Redis loses everything, the command restores
// the same board and seq from Cassandra, saying what it does.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startServiceFixture, type ServiceFixture } from '../local/services/service-fixture.ts';
import { ApiClient } from '../local/services/api-client.ts';

const run = promisify(execFile);

describe('rebuild command', () => {
  let f: ServiceFixture;
  beforeAll(async () => { f = await startServiceFixture('real', { env: { BOARD_WIDTH: '50', BOARD_HEIGHT: '40' } }); });
  afterAll(async () => f?.close());

  it('restores board and seq from Cassandra into an empty Redis, with progress output', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => new ApiClient(f.url).startSession()));
    await Promise.all(users.map((u, i) => u.place(i * 3, i * 2, (i % 15) + 1)));
    const before = await users[0]!.board();
    const raw = new Redis(f.redisUrl!);
    await raw.flushall();
    const c = f.config.cassandra!;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'core/rebuild-command.ts'], {
      env: {
        ...process.env, REDIS_URL: f.redisUrl!, CASSANDRA_CONTACT_POINTS: c.contactPoints.join(','), CASSANDRA_PORT: String(c.port),
        CASSANDRA_KEYSPACE: c.keyspace, BOARD_WIDTH: '50', BOARD_HEIGHT: '40',
      },
    });
    expect(stdout).toContain(`board restored: 12 pixels, seq ${before.seq}`);
    // Read Redis directly (the service's store), so nothing but the command could have rebuilt it.
    const snapshot = await f.services.store.snapshot();
    expect(snapshot?.seq).toBe(before.seq);
    expect(Buffer.from(snapshot!.bytes).equals(Buffer.from(before.bytes))).toBe(true);
    raw.disconnect();
  });

  it('`npm run sessions -- revoke <userId>` signs that user out at once, and no one else', async () => {
    const [mallory, other] = await Promise.all([new ApiClient(f.url).startSession(), new ApiClient(f.url).startSession()]);
    expect((await mallory.request('GET', '/api/me')).status).toBe(200);
    const c = f.config.cassandra!;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'core/sessions-command.ts', 'revoke', mallory.userId!], {
      env: { ...process.env, REDIS_URL: f.redisUrl!, CASSANDRA_CONTACT_POINTS: c.contactPoints.join(','), CASSANDRA_PORT: String(c.port), CASSANDRA_KEYSPACE: c.keyspace },
    });
    expect(stdout).toContain(`sessions of ${mallory.userId}`);
    expect((await mallory.request('GET', '/api/me')).status).toBe(401);
    expect((await mallory.place(1, 1, 1)).status).toBe(401);
    expect((await other.request('GET', '/api/me')).status).toBe(200);
  });
});
