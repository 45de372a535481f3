// Templates and history when the board grows during the event (resizeBoardLive), through the
// local runner on embedded stores: the tracker recounts at the new size and keeps counting there,
// templates fit in the new area, and the past keeps the size it had (the resize took a snapshot).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ApiClient } from '../../test-support/api-client.ts';
import { startServiceFixture, type ServiceFixture } from '../../test-support/service-fixture.ts';
import { resizeBoardLive } from '../service/resize.ts';
import { TemplateTracker } from './template-tracker.ts';
import { countCorrect } from './templates.ts';

/** A w×h PNG all red (colour 5). */
async function redImage(w: number, h: number): Promise<string> {
  const rgba = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([0xe5, 0, 0, 255], i * 4);
  return (await sharp(rgba, { raw: { width: w, height: h, channels: 4 } }).png().toBuffer()).toString('base64');
}

describe('templates and history across a live board growth', () => {
  let f: ServiceFixture;
  let tracker: TemplateTracker;
  beforeAll(async () => {
    f = await startServiceFixture('embedded', {
      env: { BOARD_WIDTH: '20', BOARD_HEIGHT: '10', COOLDOWN_MS: '0', SNAPSHOT_INTERVAL_MS: '0', HEAVY_READS_PER_IP_PER_MINUTE: '1000' },
    });
    tracker = new TemplateTracker(f.services.store, f.services.community.live, { tickMs: 10, leaseMs: 3000, pageSize: 1000 });
    tracker.start();
  });
  afterAll(async () => {
    await tracker?.stop();
    await f?.close();
  });

  it('recounts templates at the new size, counts placements in the new area, and keeps past boards at their size', async () => {
    const api = await new ApiClient(f.url).startSession();
    const create = async (x: number, y: number, w: number, h: number) =>
      api.request<{ id: string; error?: string }>('POST', '/api/templates', { body: JSON.stringify({ name: 'red', x, y, image: await redImage(w, h) }), headers: { 'content-type': 'application/json' } });
    const small = await create(16, 6, 4, 4);
    expect(small.status).toBe(201);
    expect((await create(18, 8, 6, 4)).body.error).toBe('off_board'); // not yet
    for (let x = 16; x < 20; x++) expect((await api.place(x, 6, 5)).status).toBe(201);
    await new Promise((r) => setTimeout(r, 20)); // a moment strictly before the growth
    const beforeGrowth = Date.now();
    await new Promise((r) => setTimeout(r, 20));

    await resizeBoardLive(f.services, { width: 30, height: 16 });
    const big = await create(18, 8, 6, 4); // fits now
    expect(big.status).toBe(201);
    for (let x = 18; x < 24; x++) expect((await api.place(x, 9, 5)).status).toBe(201);
    expect((await api.place(17, 7, 5)).status).toBe(201);

    const board = (await f.services.store.snapshot())!;
    const read = (id: string) => api.request<{ correct: number; updatedAtSeq: number }>('GET', `/api/templates/${id}`);
    await expect.poll(async () => (await read(big.body.id)).body.updatedAtSeq, { timeout: 10_000 }).toBe(board.seq);
    for (const t of await f.services.community.live.tracked([small.body.id, big.body.id])) {
      expect({ id: t.id, correct: (await read(t.id)).body.correct }).toEqual({ id: t.id, correct: countCorrect(t, board.bytes, board) });
    }
    expect((await read(small.body.id)).body.correct).toBe(7); // row 6, (17, 7), and (18, 9), (19, 9) of the big one's row
    expect((await read(big.body.id)).body.correct).toBe(6);

    // The past has the size it had then; the present the new one.
    const size = async (q: string) => {
      const res = await fetch(`${f.url}/api/board.png?${q}`);
      expect(res.status).toBe(200);
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      return [meta.width, meta.height];
    };
    expect(await size(`at=${beforeGrowth}`)).toEqual([20, 10]);
    expect(await size(`at=${Date.now()}`)).toEqual([30, 16]);
  });
});
