// The export job as the image ships it: the Dockerfile's own build lines bundle bin/export.ts and
// copy sharp beside it, and the bundle, alone in a folder with only that node_modules (as in the
// image), runs the task's command with the task's kind of settings (no --out, DATA_DIR a scratch
// folder, MEDIA_BUCKET) against real Cassandra and an S3-compatible server: what lands in the
// bucket is the event, byte for byte. No Docker needed.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import S3rver from 's3rver';
import sharp from 'sharp';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COMMAND } from './export-job.ts';
import { MEDIA_PREFIX } from './http-functions.ts';
import { buildImageDist } from '../test-support/image-build.ts';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { freePort, tempDir } from '../test-support/test-services.ts';
import { S3MediaStore } from '../core/media/s3-media-store.ts';
import { replayCsv } from '../core/archive/replay-csv.ts';
import { EXPORT_PREFIX, type ExportManifest } from '../core/archive/export.ts';

const run = promisify(execFile);
const SIZE = { BOARD_WIDTH: '48', BOARD_HEIGHT: '32' };

describe('the export job bundled as in the image', () => {
  const out = tempDir('image');
  let f: ServiceFixture;
  let s3: S3rver;
  let endpoint: string;
  beforeAll(async () => {
    await buildImageDist(out);
    f = await startServiceFixture('real', { env: { ...SIZE, COOLDOWN_MS: '0' } });
    const port = await freePort();
    s3 = new S3rver({ port, address: '127.0.0.1', silent: true, directory: tempDir('s3rver'), configureBuckets: [{ name: 'media', configs: [] }] });
    await s3.run();
    endpoint = `http://127.0.0.1:${port}`;
  }, 180_000);
  afterAll(async () => {
    await s3?.close();
    await f?.close();
  });

  /** The task's command (`node export.mjs`) in the bundle's folder, with only the variables given. */
  const task = (env: Record<string, string>) => run(EXPORT_COMMAND[0]!, EXPORT_COMMAND.slice(1), {
    cwd: out, env: { PATH: process.env.PATH, ...SIZE, ...env }, maxBuffer: 16 << 20,
  });

  it('puts the whole event in the media bucket under media/export/<time>/: a CSV that replays to the live board, Parquet, PNG, timelapse, recap, manifest', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => new ApiClient(f.url).startSession()));
    await Promise.all(users.map(async (u, k) => {
      for (let i = 0; i < 60; i++) expect((await u.place((i * 5 + k) % 48, (i * 3 + k * 7) % 32, (i + k) % 16)).status).toBe(201);
    }));
    const live = await users[0]!.board();
    const c = f.config.cassandra!;
    const scratch = tempDir('export-scratch');
    const { stdout } = await task({
      CASSANDRA_CONTACT_POINTS: c.contactPoints.join(','), CASSANDRA_PORT: String(c.port), CASSANDRA_KEYSPACE: c.keyspace,
      SESSION_SECRET: 'test-secret', DATA_DIR: scratch, MEDIA_BUCKET: 'media', MEDIA_PREFIX, S3_ENDPOINT: endpoint,
      AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
    });
    expect(stdout).toContain(`exported 300 placements by 5 users (seq ${live.seq})`);
    const folder = stdout.match(new RegExp(`uploaded to s3://media/${MEDIA_PREFIX}(${EXPORT_PREFIX}[^/\\s]+/)`))![1]!;

    const bucket = new S3MediaStore({ bucket: 'media', prefix: MEDIA_PREFIX, endpoint, region: 'us-east-1' }, { credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      const get = async (name: string) => Buffer.from((await bucket.get(`${folder}${name}`))!);
      const manifest = JSON.parse((await get('manifest.json')).toString('utf8')) as ExportManifest;
      expect(manifest).toMatchObject({ placements: 300, users: 5, lastSeq: live.seq });
      expect(Object.keys(manifest.files).sort()).toEqual(['final.png', 'placements.csv', 'placements.parquet', 'recap.csv', 'timelapse.webp']);
      const files: Record<string, Buffer> = {};
      for (const [name, { bytes, sha256 }] of Object.entries(manifest.files)) {
        files[name] = await get(name);
        expect([name, files[name].length, createHash('sha256').update(files[name]).digest('hex')]).toEqual([name, bytes, sha256]);
      }

      const csv = path.join(tempDir('downloaded'), 'placements.csv');
      writeFileSync(csv, files['placements.csv']!);
      const replayed = await replayCsv(csv, f.config.board);
      expect(replayed).toMatchObject({ rows: 300, lastSeq: live.seq });
      expect(Buffer.from(replayed.board).equals(Buffer.from(live.bytes))).toBe(true);
      const me = await users[2]!.request<{ exportId: string }>('GET', '/api/me');
      expect(files['placements.csv']!.toString('utf8').split('\n').filter((l) => l.includes(`,${me.body.exportId},`))).toHaveLength(60);
      for (const u of users) expect(files['placements.csv']!.toString('utf8')).not.toContain(u.userId!);

      const parquet = files['placements.parquet']!;
      const rows = await parquetReadObjects({ file: parquet.buffer.slice(parquet.byteOffset, parquet.byteOffset + parquet.byteLength) as ArrayBuffer });
      expect(rows).toHaveLength(300);
      // sharp, loaded from the node_modules the image ships, drew the board and the timelapse.
      const png = Buffer.from(await (await fetch(`${f.url}/api/board.png`)).arrayBuffer());
      expect(files['final.png']!.equals(png)).toBe(true);
      const film = await sharp(files['timelapse.webp']!).metadata();
      expect([film.format, film.width, (film.pages ?? 0) > 1]).toEqual(['webp', 48, true]);
      expect(files['recap.csv']!.toString('utf8').trim().split('\n')).toHaveLength(1 + 5);
    } finally {
      bucket.destroy();
    }
  }, 120_000);

  it('fails with a non-zero exit, saying why, when Keyspaces cannot be reached', async () => {
    const failed = await task({
      CASSANDRA_CONTACT_POINTS: '127.0.0.1', CASSANDRA_FLAVOUR: 'keyspaces', CASSANDRA_REGION: 'eu-west-1', SESSION_SECRET: 'test-secret',
      DATA_DIR: tempDir('export-scratch'), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    }).then(() => null, (err: { code: number; stderr: string }) => err);
    expect(failed?.code).toBe(1);
    expect(failed!.stderr).toMatch(/9142/);
  }, 60_000);

  it('leaves the socket server\'s bundle loadable too: it starts as far as its settings', async () => {
    // sharp bundled into socket-server.mjs once broke it at load (its ESM entry's createRequire clashed with the banner's).
    const failed = await run('node', ['socket-server.mjs'], { cwd: out, env: { PATH: process.env.PATH } }).then(() => null, (err: { code: number; stderr: string }) => err);
    expect(failed?.code).toBe(2);
    expect(failed!.stderr).toContain('Bad setting REDIS_URL');
  }, 30_000);
});
