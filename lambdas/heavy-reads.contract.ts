// Heavy endpoints (history PNGs, timelapse, heatmap) are cacheable, bounded and capped: what a
// CDN may keep, what one request may cost, and how many uncached ones an address may start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ApiClient } from '../test-support/api-client.ts';
import { OpenApiCheck } from '../test-support/openapi-check.ts';
import { startServiceFixture, type Backend, type ServiceFixture } from '../test-support/service-fixture.ts';
import { TIMELAPSE_LIMITS } from '../core/history/timelapse-params.ts';

export function describeHeavyReads(backend: Backend): void {
  describe(`heavy endpoints on ${backend} stores`, () => {
    let f: ServiceFixture;
    let api: ApiClient;
    beforeAll(async () => {
      f = await startServiceFixture(backend, {
        env: { BOARD_WIDTH: '1000', BOARD_HEIGHT: '1000', COOLDOWN_MS: '0', HEAVY_READS_PER_IP_PER_MINUTE: '4', HISTORY_MAX_REPLAY: '1000' },
      });
      api = await new ApiClient(f.url, new OpenApiCheck(f.config)).startSession();
    });
    afterAll(async () => f?.close());

    it('bounds a timelapse: frames, frames × area, a window that has not settled, a region off the board', async () => {
      const to = Date.now() - 120_000;
      const codeOf = async (q: string) => (await api.request<{ error: string }>('GET', `/api/timelapse.webp?${q}`)).body.error;
      expect(await codeOf(`from=${to - 1000}&to=${to}&frames=${TIMELAPSE_LIMITS.maxFrames + 1}&x1=10&y1=10`)).toBe('invalid_frames');
      // The whole 1000×1000 board allows 40 frames (40 M pixel-frames).
      expect(await codeOf(`from=${to - 1000}&to=${to}&frames=41`)).toBe('invalid_frames');
      expect(await codeOf(`from=${to - 1000}&to=${Date.now()}`)).toBe('invalid_to');
      expect(await codeOf(`from=${to}&to=${to}`)).toBe('invalid_from');
      expect(await codeOf(`from=${to - 1000}&to=${to}&x0=500&x1=400`)).toBe('invalid_region');
      expect(await codeOf(`from=${to - 1000}&to=${to}&fps=0`)).toBe('invalid_fps');
    });

    it('generates a timelapse once: stored, immutable, and served from the store after, without counting against the cap', async () => {
      const to = Date.now() - 61_000;
      const url = `/api/timelapse.webp?from=${to - 60_000}&to=${to}&frames=5&fps=5&x0=10&y0=10&x1=60&y1=40`;
      const first = await api.request('GET', url);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const meta = await sharp(Buffer.from(first.body as unknown as Uint8Array)).metadata();
      // Identical frames (nothing was placed then) may be merged by the encoder: the size is what is certain.
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 50, 30]);
      // Use up the address's cap with uncached heatmaps; the stored timelapse is still served.
      let status = 200;
      for (let i = 0; i < 6 && status === 200; i++) status = (await api.request('GET', `/api/heatmap.png?since=${1_000 + i}&until=${to}`)).status;
      expect(status).toBe(429);
      const again = await api.request('GET', url);
      expect(again.status).toBe(200);
      expect(Buffer.from(again.body as unknown as Uint8Array).equals(Buffer.from(first.body as unknown as Uint8Array))).toBe(true);
      const capped = await api.request<{ error: string }>('GET', `/api/board.png?at=${to - 5}`);
      expect([capped.status, capped.body.error, Number(capped.headers.get('retry-after')) > 0]).toEqual([429, 'rate_limited', true]);
    });

    it('refuses a window that would replay more than HISTORY_MAX_REPLAY placements, before doing it', async () => {
      const g = await startServiceFixture(backend, { env: { COOLDOWN_MS: '0', HISTORY_MAX_REPLAY: '1000', BOARD_WIDTH: '50', BOARD_HEIGHT: '50' } });
      try {
        const me = await new ApiClient(g.url).startSession();
        const since = Date.now() - 1;
        for (let i = 0; i < 1001; i++) await me.place(i % 50, Math.floor(i / 50) % 50, i % 16);
        const res = await me.request<{ error: string }>('GET', `/api/heatmap.png?since=${since}&until=${Date.now()}`);
        expect([res.status, res.body.error]).toEqual([422, 'range_too_large']);
        expect((await me.request('GET', '/api/board.png?seq=1')).status).toBe(200);
        expect((await me.request('GET', '/api/board.png?seq=1001')).status).toBe(422);
      } finally {
        await g.close();
      }
    });
  });
}
