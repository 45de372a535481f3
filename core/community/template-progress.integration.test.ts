// Must hold: a template's `correct` equals a full recount after 10,000 random placements, on
// Redis + Cassandra, with the tracker handed from one process's tracker to another midway and a
// template created while placements go on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { startServiceFixture, type ServiceFixture } from '../../test-support/service-fixture.ts';
import { ApiClient } from '../../test-support/api-client.ts';
import { startTemplateTracker, type TemplateTracker } from './template-tracker.ts';
import { countCorrect } from './templates.ts';

const W = 40;
const H = 30;

/** A random template image: palette colours on about 70 % of its pixels, the rest transparent. */
async function randomTemplate(width: number, height: number, random: () => number): Promise<string> {
  const palette = [[255, 255, 255], [229, 0, 0], [0, 0, 234], [2, 190, 1], [34, 34, 34]];
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    if (random() < 0.3) continue;
    rgba.set([...palette[Math.floor(random() * palette.length)]!, 255], i * 4);
  }
  return (await sharp(rgba, { raw: { width, height, channels: 4 } }).png().toBuffer()).toString('base64');
}

describe('template progress on Redis and Cassandra', () => {
  let f: ServiceFixture;
  const trackers: TemplateTracker[] = [];
  beforeAll(async () => {
    f = await startServiceFixture('real', { env: { BOARD_WIDTH: String(W), BOARD_HEIGHT: String(H), COOLDOWN_MS: '0', TEMPLATE_TICK_MS: '20' } });
  });
  afterAll(async () => {
    for (const t of trackers) await t.stop();
    await f?.close();
  });

  it('keeps correct equal to a full recount after 10,000 random placements', async () => {
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const users = await Promise.all(Array.from({ length: 32 }, () => new ApiClient(f.url).startSession()));
    const create = async (x: number, y: number, w: number, h: number) => {
      const res = await users[0]!.request<{ id: string }>('POST', '/api/templates', {
        body: JSON.stringify({ name: `t${x}`, x, y, image: await randomTemplate(w, h, random) }), headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(201);
      return res.body.id;
    };
    // Overlapping templates, so one placement moves several counts.
    const ids = [await create(0, 0, 20, 15), await create(10, 5, 20, 20), await create(25, 0, 15, 30)];
    trackers.push(startTemplateTracker(f.config, f.services.store, f.services.community.live));
    // Few colours on a small board: placements often make a pixel right, and often undo it.
    const place = async (u: ApiClient) => {
      const res = await u.place(Math.floor(random() * W), Math.floor(random() * H), [0, 5, 13, 10, 3][Math.floor(random() * 5)]!);
      expect(res.status).toBe(201);
    };
    let done = 0;
    const run = (n: number) => Promise.all(users.map(async (u) => {
      for (let i = 0; i < n; i++) {
        await place(u);
        done++;
      }
    }));
    await run(100);
    ids.push(await create(5, 20, 30, 10)); // while placements go on
    // The leading tracker stops (a socket server going away); another takes over and recounts.
    await trackers[0]!.stop();
    trackers.push(startTemplateTracker(f.config, f.services.store, f.services.community.live));
    await run(212);
    await Promise.all(users.slice(0, 16).map(async (u) => { await place(u); done++; }));
    expect(done).toBe(10_000);

    const board = (await f.services.store.snapshot())!;
    const live = f.services.community.live;
    await expect.poll(async () => (await live.cursor())?.seq, { timeout: 30_000 }).toBe(board.seq);
    const tracked = await live.tracked(ids);
    expect(tracked).toHaveLength(4);
    for (const t of tracked) {
      const res = await users[0]!.request<{ correct: number; wrong: number; updatedAtSeq: number; pixels: number }>('GET', `/api/templates/${t.id}`);
      const recount = countCorrect(t, board.bytes, f.config.board);
      expect({ id: t.id, correct: res.body.correct, seq: res.body.updatedAtSeq }).toEqual({ id: t.id, correct: recount, seq: board.seq });
      expect(res.body.wrong).toBe(res.body.pixels - recount);
    }
    // The counts were reached by the incremental path: thousands of updates applied since the last recount.
    expect(trackers[1]!.stats.incremental).toBeGreaterThan(1000);
  }, 300_000);
});
