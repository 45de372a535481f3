// Templates and history over real HTTP through the local runner, every response checked against
// the OpenAPI document. Run on embedded stores (unit) and on Redis + Cassandra (integration).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ApiClient } from '../test-support/api-client.ts';
import { OpenApiCheck } from '../test-support/openapi-check.ts';
import { startServiceFixture, type Backend, type ServiceFixture } from '../test-support/service-fixture.ts';
import { TemplateTracker } from '../core/community/template-tracker.ts';
import { takeSnapshot } from '../core/service/snapshots.ts';
import { exportId } from '../core/community/export-id.ts';

const SIZE = { width: 32, height: 24 };
const RED = [0xe5, 0, 0, 255];
const BLUE = [0, 0, 0xea, 255];
const CLEAR = [0, 0, 0, 0];

/** A 3×2 PNG: red, blue, transparent / red, red, blue. */
async function templateImage(): Promise<string> {
  const rgba = [...RED, ...BLUE, ...CLEAR, ...RED, ...RED, ...BLUE];
  return (await sharp(Buffer.from(rgba), { raw: { width: 3, height: 2, channels: 4 } }).png().toBuffer()).toString('base64');
}

export function describeCommunityApiContract(backend: Backend): void {
  describe(`templates and history over HTTP on ${backend} stores`, () => {
    let f: ServiceFixture;
    let check: OpenApiCheck;
    let tracker: TemplateTracker;
    const user = () => new ApiClient(f.url, check).startSession();
    const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

    beforeAll(async () => {
      f = await startServiceFixture(backend, {
        env: { BOARD_WIDTH: String(SIZE.width), BOARD_HEIGHT: String(SIZE.height), COOLDOWN_MS: '0', SNAPSHOT_INTERVAL_MS: '0', HEAVY_READS_PER_IP_PER_MINUTE: '1000', TEMPLATES_PER_IP_PER_HOUR: '1000' },
      });
      check = new OpenApiCheck(f.config);
      tracker = new TemplateTracker(f.services.store, f.services.community.live, { tickMs: 10, leaseMs: 3000, pageSize: 1000 });
      tracker.start();
    });
    afterAll(async () => {
      await tracker?.stop();
      await f?.close();
    });

    it('creates a template from a PNG (quantised, transparent pixels left out) and tracks its progress as pixels are placed', async () => {
      const alice = await user();
      const created = await alice.request<{ id: string; url: string }>('POST', '/api/templates', json({ name: 'flag', x: 10, y: 5, image: await templateImage() }));
      expect(created.status).toBe(201);
      const { id } = created.body;
      expect(created.body.url).toBe(`/api/templates/${id}`);
      const read = () => alice.request<Record<string, number | string>>('GET', `/api/templates/${id}`);
      expect((await read()).body).toMatchObject({ id, name: 'flag', x: 10, y: 5, width: 3, height: 2, pixels: 5, correct: 0, wrong: 5, griefedLastHour: 0 });
      const png = await alice.request('GET', `/api/templates/${id}.png`);
      expect(png.headers.get('cache-control')).toContain('immutable');
      const { data, info } = await sharp(Buffer.from(png.body as unknown as Uint8Array)).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([3, 2, 4]);
      expect(Array.from(data.subarray(8, 12))).toEqual(CLEAR);

      expect((await alice.place(10, 5, 5)).status).toBe(201); // red: right
      expect((await alice.place(11, 5, 5)).status).toBe(201); // should be blue: wrong
      expect((await alice.place(12, 5, 5)).status).toBe(201); // transparent: not part of it
      await expect.poll(async () => (await read()).body.correct, { timeout: 10_000 }).toBe(1);
      expect((await alice.place(11, 5, 13)).status).toBe(201); // now blue
      expect((await alice.place(10, 6, 5)).status).toBe(201);
      await expect.poll(async () => (await read()).body.correct, { timeout: 10_000 }).toBe(3);
      // Griefing: a right pixel turned wrong counts as griefed.
      expect((await alice.place(10, 5, 0)).status).toBe(201);
      await expect.poll(async () => (await read()).body, { timeout: 10_000 }).toMatchObject({ correct: 2, wrong: 3, griefedLastHour: 1 });
      const head = await alice.board();
      await expect.poll(async () => (await read()).body.updatedAtSeq, { timeout: 10_000 }).toBe(head.seq);
    });

    it('refuses bad templates with a code naming the problem, and without a session', async () => {
      const bob = await user();
      const image = await templateImage();
      const codeOf = async (body: unknown) => (await bob.request<{ error: string }>('POST', '/api/templates', json(body))).body.error;
      expect(await codeOf({ name: 'x', x: 30, y: 0, image })).toBe('off_board');
      expect(await codeOf({ name: 'x', x: 0, y: 0, image: Buffer.from('GIF89a......').toString('base64') })).toBe('not_png');
      expect(await codeOf({ name: '', x: 0, y: 0, image })).toBe('invalid_template');
      expect(await codeOf({ name: 'x', x: -1, y: 0, image })).toBe('invalid_template');
      const clear = (await sharp({ create: { width: 2, height: 2, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer()).toString('base64');
      expect(await codeOf({ name: 'x', x: 0, y: 0, image: clear })).toBe('no_opaque_pixels');
      const big = (await sharp({ create: { width: 600, height: 10, channels: 4, background: '#ff0000' } }).png().toBuffer()).toString('base64');
      expect(await codeOf({ name: 'x', x: 0, y: 0, image: big })).toBe('image_too_big');
      const anonymous = new ApiClient(f.url, check);
      expect((await anonymous.request('POST', '/api/templates', json({ name: 'x', x: 0, y: 0, image }))).status).toBe(401);
      expect((await bob.request('GET', '/api/templates/AAAAAAAAAAA')).status).toBe(404);
      expect((await bob.request('GET', '/api/templates/nope')).status).toBe(404);
    });

    it('lists snapshots with URLs of their PNGs, and serves the board as it was at a moment and after a seq', async () => {
      const carol = await user();
      const ctx = { ...f.services, size: f.config.board };
      await carol.place(1, 1, 3);
      const first = (await takeSnapshot(ctx))!;
      const live1 = await carol.board();
      const t1 = Date.now();
      await new Promise((r) => setTimeout(r, 5));
      await carol.place(2, 2, 4);
      await carol.place(3, 3, 6);
      const history = await carol.request<{ seq: number; at: number; url: string }[]>('GET', '/api/history');
      expect(history.body.at(-1)).toEqual({ seq: first.seq, at: first.at, url: `/api/board.png?seq=${first.seq}` });
      const livePng = async () => sharp(Buffer.from((await carol.request('GET', '/api/board.png')).body as unknown as Uint8Array)).raw().toBuffer();
      const pastPng = async (q: string) => {
        const res = await carol.request('GET', `/api/board.png?${q}`);
        expect(res.status).toBe(200);
        return sharp(Buffer.from(res.body as unknown as Uint8Array)).raw().toBuffer();
      };
      const now = await livePng();
      expect((await pastPng(`seq=${live1.seq}`)).equals(now)).toBe(false);
      expect((await pastPng(`at=${Date.now()}`)).equals(now)).toBe(true);
      const atT1 = await carol.request('GET', `/api/board.png?at=${t1}`);
      expect(Number(atT1.headers.get('x-board-seq'))).toBe(live1.seq);
      expect((await carol.request('GET', `/api/board.png?seq=${first.seq}`)).headers.get('cache-control')).toContain('immutable');
      expect((await carol.request<{ error: string }>('GET', `/api/board.png?at=${Date.now() + 60_000}`)).body.error).toBe('invalid_at');
      expect((await carol.request<{ error: string }>('GET', '/api/board.png?seq=99999999')).body.error).toBe('invalid_seq');
      expect((await carol.request<{ error: string }>('GET', '/api/board.png?at=yesterday')).body.error).toBe('invalid_at');
    });

    it('tells each user the id of their rows in the export', async () => {
      const dave = await user();
      const me = await dave.request<{ exportId: string }>('GET', '/api/me');
      expect(me.body.exportId).toBe(exportId(f.services.community.exportKey, dave.userId!));
      expect(me.body.exportId).not.toContain(dave.userId!);
    });

    it('serves a heatmap of placements in a window, transparent where nobody placed', async () => {
      const erin = await user();
      const since = Date.now() - 1;
      for (let i = 0; i < 3; i++) await erin.place(20, 20, i + 1);
      await erin.place(21, 20, 1);
      const res = await erin.request('GET', `/api/heatmap.png?since=${since}&until=${Date.now()}`);
      expect(res.status).toBe(200);
      const { data, info } = await sharp(Buffer.from(res.body as unknown as Uint8Array)).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([SIZE.width, SIZE.height, 4]);
      const px = (x: number, y: number) => Array.from(data.subarray((y * SIZE.width + x) * 4, (y * SIZE.width + x) * 4 + 4));
      expect(px(0, 0)[3]).toBe(0);
      expect(px(20, 20)[3]).toBe(255);
      expect(px(21, 20)[3]).toBe(255);
      expect(px(20, 20)).not.toEqual(px(21, 20)); // three placements look hotter than one
      expect((await erin.request<{ error: string }>('GET', '/api/heatmap.png')).body.error).toBe('invalid_since');
    });
  });
}
