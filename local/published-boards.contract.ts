// A 3000×2000 board (r/place 2023's final size) end to end, against embedded stores and against
// real Redis + Cassandra: GET /api/board and /api/board.png redirect to the newest published copy
// (core/publish) while it is fresh, as the board is too big for a Lambda's 1 MB response (3 MB
// packed); writes at the far corner, a socket client, and a rebuild after losing the live board.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ApiClient } from '../test-support/api-client.ts';
import { checkedFetch, OpenApiCheck } from '../test-support/openapi-check.ts';
import { startServiceFixture, type Backend, type ServiceFixture } from '../test-support/service-fixture.ts';
import { nodeSync, waitUntil, waitUntilAsync } from '../test-support/sync-clients.ts';
import { attachSocketServer, type LocalSockets } from './local-sockets.ts';
import { PALETTE_RGB } from '../core/domain/palette.ts';
import { colorAt, pixelIndex } from '../core/domain/board-codec.ts';

const WIDTH = 3000;
const HEIGHT = 2000;

export function describePublishedBoards(backend: Backend): void {
  describe(`published boards on ${backend} stores`, () => {
    let f: ServiceFixture;
    let sockets: LocalSockets | null = null;
    let fetch: (url: string, init?: RequestInit) => Promise<Response>;
    let seq = 0;

    beforeAll(async () => {
      f = await startServiceFixture(backend, {
        env: { BOARD_WIDTH: String(WIDTH), BOARD_HEIGHT: String(HEIGHT), COOLDOWN_MS: '0', BOARD_PUBLISH_MS: '100', BOARD_PNG_PUBLISH_MS: '1000' },
      });
      fetch = checkedFetch(new OpenApiCheck(f.config));
      sockets = await attachSocketServer(f.services, f.server);
      const corners = [[0, 0, 5], [WIDTH - 1, 0, 6], [0, HEIGHT - 1, 7], [WIDTH - 1, HEIGHT - 1, 8], [1234, 1555, 9]] as const;
      const user = await new ApiClient(f.url).startSession();
      for (const [x, y, color] of corners) {
        const out = await user.place(x, y, color);
        expect(out.status).toBe(201);
        seq = (out.body as { seq: number }).seq;
      }
      expect(seq).toBe(5);
      await waitUntilAsync('the last write published', async () => (await f.services.store.published())?.seq === seq);
    }, 60_000);
    afterAll(async () => {
      await sockets?.close();
      await f?.close();
    });

    it('GET /api/board redirects to the published board: the live board\'s exact bytes at its seq, gzip on the wire, cached for good', async () => {
      const res = await fetch(`${f.url}/api/board`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = res.headers.get('location')!;
      expect(location).toMatch(new RegExp(`^/boards/\\d+/${seq}-${WIDTH}x${HEIGHT}\\.bin$`));
      expect(res.headers.get('cache-control')).toBe(`public, max-age=${f.config.boardMaxAgeSeconds}`);

      const copy = await globalThis.fetch(`${f.url}${location}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(copy.status).toBe(200);
      expect(copy.headers.get('content-encoding')).toBe('gzip');
      expect(copy.headers.get('cache-control')).toContain('immutable');
      expect(Number(copy.headers.get('content-length'))).toBeLessThan(100_000); // 3 MB of mostly blank board
      expect(copy.headers.get('x-board-seq')).toBe(String(seq));
      const bytes = new Uint8Array(await copy.arrayBuffer());
      const live = (await f.services.store.snapshot())!;
      expect(bytes.length).toBe(WIDTH * HEIGHT / 2);
      expect(Buffer.from(bytes).equals(Buffer.from(live.bytes))).toBe(true);
      expect(colorAt(bytes, pixelIndex({ width: WIDTH, height: HEIGHT }, WIDTH - 1, HEIGHT - 1))).toBe(8);

      // What a client does: follow the redirect and read the board's head from the copy.
      const viaClient = await new ApiClient(f.url).board();
      expect(viaClient.seq).toBe(seq);
      expect(Buffer.from(viaClient.bytes).equals(Buffer.from(live.bytes))).toBe(true);
    });

    it('GET /api/board.png redirects to a PNG of the whole board in the palette\'s colours', async () => {
      await waitUntilAsync('the PNG published', async () => (await f.services.store.published())?.pngPath?.includes(`/${seq}-`) === true);
      const res = await fetch(`${f.url}/api/board.png`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const png = await globalThis.fetch(`${f.url}${res.headers.get('location')!}`);
      expect(png.headers.get('content-type')).toBe('image/png');
      const image = sharp(Buffer.from(await png.arrayBuffer()));
      const meta = await image.metadata();
      expect([meta.width, meta.height]).toEqual([WIDTH, HEIGHT]);
      const corner = await image.extract({ left: WIDTH - 1, top: HEIGHT - 1, width: 1, height: 1 }).raw().toBuffer();
      expect([...corner]).toEqual([...PALETTE_RGB.subarray(8 * 3, 8 * 3 + 3)]);
    });

    it('a socket client loads the big board through the redirect and sees a pixel placed at its far corner', async () => {
      const c = nodeSync({ apiUrl: f.url, socketUrls: [`${f.url.replace('http', 'ws')}/ws`] });
      try {
        await waitUntil('client live', () => c.sync.status === 'live');
        expect([c.sync.width, c.sync.height]).toEqual([WIDTH, HEIGHT]);
        const user = await new ApiClient(f.url).startSession();
        const placed = await user.place(WIDTH - 2, HEIGHT - 1, 12);
        expect(placed.status).toBe(201);
        seq = (placed.body as { seq: number }).seq;
        await waitUntil('client has the pixel', () => c.sync.seq === seq);
        expect(colorAt(c.sync.board!, pixelIndex({ width: WIDTH, height: HEIGHT }, WIDTH - 2, HEIGHT - 1))).toBe(12);
        expect(Buffer.from(c.sync.board!).equals(Buffer.from((await f.services.store.snapshot())!.bytes))).toBe(true);
      } finally {
        c.sync.stop();
      }
    });

    it('answers from the live board instead when the published copy is stale or of another board', async () => {
      const published = (await f.services.store.published())!;
      await sockets!.close(); // the publisher stops with the socket server
      sockets = null;
      await f.services.store.setPublished({ ...published, at: Date.now() - 60_000 });
      const stale = await fetch(`${f.url}/api/board`, { redirect: 'manual' });
      expect(stale.status).toBe(200);
      expect(stale.headers.get('x-board-seq')).toBe(String(seq));
      await f.services.store.setPublished({ ...published, epoch: published.epoch + 1, at: Date.now() });
      expect((await fetch(`${f.url}/api/board`, { redirect: 'manual' })).status).toBe(200);
      expect((await fetch(`${f.url}/api/board.png`, { redirect: 'manual' })).status).toBe(200);
    });

    it('a published path that is not one answers 404 with an error code', async () => {
      for (const path of ['/boards/1/2-3x4.bin', '/boards/../config.json', '/boards/x']) {
        const res = await globalThis.fetch(`${f.url}${path}`);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ error: 'not_found' });
      }
    });

    it('after losing the live board, rebuilds it at 3000×2000 with every pixel from persistence', async () => {
      const before = (await f.services.store.snapshot())!;
      await f.loseLiveState();
      let board: { bytes: Uint8Array; seq: number } | null = null;
      await waitUntilAsync('the board rebuilt', async () => {
        board = await new ApiClient(f.url).board().catch(() => null); // 503 while it is rebuilt
        return board !== null;
      }, 60_000);
      expect(board!.seq).toBe(before.seq);
      expect(board!.bytes.length).toBe(WIDTH * HEIGHT / 2);
      expect(Buffer.from(board!.bytes).equals(Buffer.from(before.bytes))).toBe(true);
    });
  });
}
