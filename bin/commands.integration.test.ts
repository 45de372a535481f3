// The documented commands, run as the README shows them (`npm run …`), against the real stores:
// a broken script path or a command that skips part of the config fails here.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import cassandra from 'cassandra-driver';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { testCassandraPort } from '../test-support/test-services.ts';
import { TABLES } from '../core/pixel-log/cassandra-schema.ts';
import { protectArea, unprotectArea } from '../core/moderation/moderation-service.ts';

const execFileAsync = promisify(execFile);

describe('the documented commands on real Redis and Cassandra', () => {
  let f: ServiceFixture;
  /** Runs `npm run <script> -- <args>` with the fixture's stores configured, as an operator would. */
  const npmRun = (script: string, args: string[] = [], env: Record<string, string> = {}) => {
    const c = f.config.cassandra!;
    return execFileAsync('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
      env: {
        ...process.env, REDIS_URL: f.redisUrl!, CASSANDRA_CONTACT_POINTS: c.contactPoints.join(','), CASSANDRA_PORT: String(c.port),
        // The fixture's data folder, not the checkout's: snapshots a local `npm start` left there must not leak in.
        CASSANDRA_KEYSPACE: c.keyspace, DATA_DIR: f.config.dataDir, BOARD_WIDTH: '50', BOARD_HEIGHT: '40', ...env,
      },
    });
  };
  beforeAll(async () => { f = await startServiceFixture('real', { env: { BOARD_WIDTH: '50', BOARD_HEIGHT: '40', DEFENCE_WINDOW_MS: '2000' } }); });
  afterAll(async () => f?.close());

  it('`npm run migrate` creates the keyspace and every table, and can run again', async () => {
    const keyspace = `m_${randomBytes(4).toString('hex')}`;
    const { stdout } = await npmRun('migrate', [], { CASSANDRA_KEYSPACE: keyspace });
    expect(stdout).toContain(`keyspace ${keyspace} ready`);
    for (const t of TABLES) expect(stdout).toContain(`table ${keyspace}.${t.name} ready`);
    await npmRun('migrate', [], { CASSANDRA_KEYSPACE: keyspace });
    const client = new cassandra.Client({ contactPoints: ['127.0.0.1'], localDataCenter: 'datacenter1', protocolOptions: { port: testCassandraPort() } });
    try {
      const tables = await client.execute('SELECT columnfamily_name FROM system.schema_columnfamilies WHERE keyspace_name = ?', [keyspace]);
      expect(tables.rows.map((r) => r.get('columnfamily_name') as string).sort()).toEqual(TABLES.map((t) => t.name).sort());
    } finally {
      await client.shutdown();
    }
  });

  it('`npm run rebuild` restores board and seq from Cassandra into an empty Redis, with progress output', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => new ApiClient(f.url).startSession()));
    await Promise.all(users.map((u, i) => u.place(i * 3, i * 2, (i % 15) + 1)));
    const before = await users[0]!.board();
    const raw = new Redis(f.redisUrl!);
    await raw.flushall();
    const { stdout } = await npmRun('rebuild');
    expect(stdout).toContain(`board restored: 12 pixels, seq ${before.seq}`);
    // Read Redis directly (the service's store), so nothing but the command could have rebuilt it.
    const snapshot = await f.services.store.snapshot();
    expect(snapshot?.seq).toBe(before.seq);
    expect(Buffer.from(snapshot!.bytes).equals(Buffer.from(before.bytes))).toBe(true);
    raw.disconnect();
  });

  it('`npm run admin -- grant/revoke/list` gives a session\'s user a role at once (checked on every call), and takes it away', async () => {
    const alice = await new ApiClient(f.url).startSession();
    expect((await alice.request('GET', '/api/admin/me')).status).toBe(403);
    const granted = await npmRun('admin', ['grant', alice.userId!, 'admin', 'runs', 'the', 'event']);
    expect(granted.stdout).toContain(`${alice.userId} is now an admin`);
    expect((await alice.request('GET', '/api/admin/me')).body).toEqual({ userId: alice.userId, role: 'admin' });
    expect((await npmRun('admin', ['list'])).stdout).toContain(`${alice.userId}\tadmin\tgranted by cli:`);
    const audit = (await alice.request('GET', '/api/admin/audit')).body as { entries: { action: string; reason: string; actor: string }[] };
    expect(audit.entries[0]).toMatchObject({ action: 'role.grant', reason: 'runs the event', actor: expect.stringMatching(/^cli:/) });
    // The live copy the write script reads: a protected pixel is open to her.
    await f.services.store.setProtectedAreas([{ name: 't', x0: 49, y0: 39, x1: 49, y1: 39 }]);
    expect((await alice.place(49, 39, 3)).status).toBe(201);
    await f.services.store.setProtectedAreas([]);
    await npmRun('admin', ['revoke', alice.userId!]);
    expect((await alice.request('GET', '/api/admin/me')).status).toBe(403);
    await expect(npmRun('admin', ['grant', alice.userId!, 'owner'])).rejects.toThrow(/usage/);
  });

  it('`npm run rebuild -- --if-missing` (what the restore job runs) leaves a live board alone and restores a missing one', async () => {
    const user = await new ApiClient(f.url).startSession();
    expect((await user.place(7, 7, 3)).status).toBe(201);
    const live = (await f.services.store.head())!;
    const kept = await npmRun('rebuild', ['--if-missing']);
    expect(kept.stdout).toContain(`the live board is there (seq ${live.seq}): nothing to restore`);
    // Not restored again: the same epoch (a restore starts a new one, and every client would reset).
    expect(await f.services.store.head()).toMatchObject({ seq: live.seq, epoch: live.epoch });
    // What the write script checks besides the board comes back too: a protected area stays protected.
    await protectArea(f.services, 'cli:test', { name: 'kept', x0: 8, y0: 8, x1: 9, y1: 9, reason: 'logo' });
    const raw = new Redis(f.redisUrl!);
    await raw.flushall();
    raw.disconnect();
    const restored = await npmRun('rebuild', ['--if-missing']);
    expect(restored.stdout).toContain(`seq ${live.seq}`);
    expect(restored.stdout).toContain('board restored');
    expect(restored.stdout).toContain('1 protected areas');
    expect((await f.services.store.head())?.seq).toBe(live.seq);
    const other = await new ApiClient(f.url).startSession();
    expect((await other.place(9, 9, 3)).body.error).toBe('protected');
    await unprotectArea(f.services, 'cli:test', 'kept', 'done');
  });

  it('`npm run sessions -- revoke <userId>` signs that user out at once, and no one else', async () => {
    const [mallory, other] = await Promise.all([new ApiClient(f.url).startSession(), new ApiClient(f.url).startSession()]);
    expect((await mallory.request('GET', '/api/me')).status).toBe(200);
    const { stdout } = await npmRun('sessions', ['revoke', mallory.userId!]);
    expect(stdout).toContain(`sessions of ${mallory.userId}`);
    expect((await mallory.request('GET', '/api/me')).status).toBe(401);
    expect((await mallory.place(1, 1, 1)).status).toBe(401);
    expect((await other.request('GET', '/api/me')).status).toBe(200);
  });

  it('`npm run sessions -- defence` shows the defence level to moderators, and `defence 2` raises it for every process', async () => {
    expect((await npmRun('sessions', ['defence'])).stdout).toContain('defence level 0');
    expect((await npmRun('sessions', ['defence', '2'])).stdout).toContain('defence level 2');
    const api = new ApiClient(f.url);
    await expect.poll(async () => (await api.request('GET', '/api/config')).body.defenceLevel, { timeout: 5000 }).toBe(2);
    expect((await api.request('POST', '/api/session')).body).toMatchObject({ error: 'sessions_paused' });
    await npmRun('sessions', ['defence', '0']);
    await expect.poll(async () => (await api.request('GET', '/api/config')).body.defenceLevel, { timeout: 5000 }).toBe(0);
  });

  it('`npm run board -- resize W H` grows the live board without a restart, keeps its pixels, and refuses to shrink it', async () => {
    const user = await new ApiClient(f.url).startSession();
    expect((await user.place(49, 39, 9)).status).toBe(201);
    const before = (await f.services.store.head())!;
    expect((await npmRun('board', ['size'])).stdout).toContain(`the board is ${before.width}×${before.height}, seq ${before.seq}`);
    const { stdout } = await npmRun('board', ['resize', '60', '45']);
    expect(stdout).toContain(`the board grew from ${before.width}×${before.height} to 60×45 at seq ${before.seq}`);
    expect((await f.services.store.head())).toMatchObject({ width: 60, height: 45, seq: before.seq, epoch: before.epoch });
    expect((await user.request('GET', '/api/pixels/49/39')).body).toMatchObject({ color: 9 });
    const other = await new ApiClient(f.url).startSession();
    expect((await other.place(59, 44, 4)).status).toBe(201); // a pixel only the bigger board has
    await expect(npmRun('board', ['resize', '55', '45'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('BadRequestError') });
    await expect(npmRun('board', ['resize', 'wide', '45'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run board') });
    expect((await f.services.store.head())).toMatchObject({ width: 60, height: 45 });
  });

  it('a command with a bad setting stops at once naming it', async () => {
    await expect(npmRun('rebuild', [], { BOARD_WIDTH: 'wide' })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('BOARD_WIDTH') });
  });
});
