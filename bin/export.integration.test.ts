// Must hold: the export round-trips. `npm run export`, run as the README shows, on Redis +
// Cassandra: replaying its CSV gives the live board byte for byte, and the final PNG is the
// live board.png; a banned user's rows are flagged.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { tempDir } from '../test-support/test-services.ts';
import { replayCsv } from '../core/archive/replay-csv.ts';
import { banUser } from '../core/moderation/moderation-service.ts';

const execFileAsync = promisify(execFile);

describe('npm run export on real Redis and Cassandra', () => {
  let f: ServiceFixture;
  beforeAll(async () => { f = await startServiceFixture('real', { env: { BOARD_WIDTH: '60', BOARD_HEIGHT: '40', COOLDOWN_MS: '0' } }); });
  afterAll(async () => f?.close());

  it('writes a CSV whose replay is the live board byte for byte, users by their exportId', async () => {
    const users = await Promise.all(Array.from({ length: 8 }, () => new ApiClient(f.url).startSession()));
    await Promise.all(users.map(async (u, k) => {
      for (let i = 0; i < 150; i++) expect((await u.place((i * 7 + k) % 60, (i * 3 + k * 5) % 40, (i + k) % 16)).status).toBe(201);
    }));
    // A moderator bans one of them: the archive flags that user's rows.
    await banUser(f.services, 'test-moderator', { userId: users[5]!.userId!, until: null, shadow: false, reason: 'griefing' });
    const live = await users[0]!.board();
    const out = tempDir('export');
    const c = f.config.cassandra!;
    const { stdout } = await execFileAsync('npm', ['run', '--silent', 'export', '--', '--out', out], {
      env: {
        ...process.env, CASSANDRA_CONTACT_POINTS: c.contactPoints.join(','), CASSANDRA_PORT: String(c.port), CASSANDRA_KEYSPACE: c.keyspace,
        BOARD_WIDTH: '60', BOARD_HEIGHT: '40', SESSION_SECRET: 'test-secret', DATA_DIR: f.config.dataDir,
      },
    });
    expect(stdout).toContain(`exported 1200 placements by 8 users (seq ${live.seq})`);
    const replayed = await replayCsv(path.join(out, 'placements.csv'), f.config.board);
    expect(replayed).toMatchObject({ rows: 1200, lastSeq: live.seq });
    expect(Buffer.from(replayed.board).equals(Buffer.from(live.bytes))).toBe(true);
    const png = Buffer.from(await (await fetch(`${f.url}/api/board.png`)).arrayBuffer());
    expect(readFileSync(path.join(out, 'final.png')).equals(png)).toBe(true);
    const me = await users[3]!.request<{ exportId: string }>('GET', '/api/me');
    const csv = readFileSync(path.join(out, 'placements.csv'), 'utf8');
    expect(csv.split('\n').filter((l) => l.includes(`,${me.body.exportId},`))).toHaveLength(150);
    for (const u of users) expect(csv).not.toContain(u.userId!);
    const banned = await users[5]!.request<{ exportId: string }>('GET', '/api/me');
    const flagged = csv.split('\n').filter((l) => l.endsWith(',1'));
    expect(flagged).toHaveLength(150);
    expect(flagged.every((l) => l.includes(`,${banned.body.exportId},`))).toBe(true);
  });
});
