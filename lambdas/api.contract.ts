// The HTTP contract and the write-path invariants, driven through the local runner over real
// HTTP. Run against embedded stores and against real Redis + Cassandra with the same tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSession } from '../test-support/pow-solver.ts';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import { ApiClient } from '../test-support/api-client.ts';
import { checkedFetch, OpenApiCheck } from '../test-support/openapi-check.ts';
import { startServiceFixture, type Backend, type ServiceFixture } from '../test-support/service-fixture.ts';
import { colorAt, pixelIndex } from '../core/domain/board-codec.ts';
import { PALETTE_RGB } from '../core/domain/palette.ts';
import { batchToUpdates, decodePixelBatch } from '../core/protocol/pixel-batch.ts';

const SIZE = { width: 64, height: 48 };

export function describeApiContract(backend: Backend): void {
  describe(`HTTP API on ${backend} stores`, () => {
    let f: ServiceFixture;
    // Every response these tests get is checked against the OpenAPI document.
    let check: OpenApiCheck;
    let fetch: (url: string, init?: RequestInit) => Promise<Response>;
    const client = () => new ApiClient(f.url, check);
    const user = () => client().startSession();
    /** Everything a rejected write could have touched. */
    const observable = async (who: ApiClient) => ({
      board: await who.board(),
      me: (await who.request('GET', '/api/me')).body,
      pixel: (await who.request('GET', '/api/pixels/2/2')).body,
    });

    beforeAll(async () => {
      f = await startServiceFixture(backend, {
        env: { BOARD_WIDTH: String(SIZE.width), BOARD_HEIGHT: String(SIZE.height), UPDATES_KEPT: '100' },
      });
      check = new OpenApiCheck(f.config);
      fetch = checkedFetch(check);
    });
    afterAll(async () => f?.close());

    it('serves the config: size, 16-colour palette with a name for each colour, cooldown', async () => {
      const res = await client().request('GET', '/api/config');
      expect(res.body).toMatchObject({ width: 64, height: 48, cooldownMs: 60_000 });
      expect(res.body.palette).toHaveLength(16);
      expect(res.body.names).toHaveLength(16);
      expect((res.body.names as string[])[5]).toBe('Red');
    });

    it('creates a session with an HttpOnly cookie that authenticates like the bearer token', async () => {
      const res = await postSession(f.url);
      expect(res.status).toBe(201);
      const body = (await res.json()) as { userId: string; token: string };
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^place_session=[^;]+; HttpOnly; SameSite=Lax; Path=\//);
      const me = await fetch(`${f.url}/api/me`, { headers: { cookie: cookie.split(';')[0]! } });
      expect(await me.json()).toMatchObject({ userId: body.userId, lastPlacedAt: null, cooldownMs: 60_000 });
    });

    it('rejects a forged or altered session token with 401', async () => {
      const alice = await user();
      const forged = client();
      forged.token = `${alice.token!.slice(0, -2)}xx`;
      const res = await forged.place(1, 1, 1);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
      forged.token = `AAAAAAAAAAAAAAAA${alice.token!.slice(16)}`;
      expect((await forged.request('GET', '/api/me')).status).toBe(401);
    });

    it('places a pixel: 201 with seq and cooldown, visible on the board, in the log and in updates', async () => {
      const alice = await user();
      const before = await alice.board();
      const res = await alice.place(3, 4, 13);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ x: 3, y: 4, color: 13, seq: before.seq + 1 });
      expect(res.body.nextAllowedAt).toBe((res.body.placedAt as number) + 60_000);
      const after = await alice.board();
      expect(after.seq).toBe(before.seq + 1);
      expect(colorAt(after.bytes, pixelIndex(SIZE, 3, 4))).toBe(13);
      const info = await alice.request('GET', '/api/pixels/3/4');
      expect(info.body).toEqual({ x: 3, y: 4, color: 13, userId: alice.userId, placedAt: res.body.placedAt });
      const since = await alice.request('GET', `/api/pixels?since=${before.seq}`);
      expect(since.status).toBe(200);
      expect(batchToUpdates(decodePixelBatch(since.body as unknown as Uint8Array))).toEqual([{ seq: before.seq + 1, x: 3, y: 4, color: 13 }]);
      const me = await alice.request('GET', '/api/me');
      expect(me.body).toMatchObject({ lastPlacedAt: res.body.placedAt, nextAllowedAt: res.body.nextAllowedAt });
    });

    it('serves the board with seq, size, ETag, cache headers, 304 and gzip', async () => {
      const res = await fetch(`${f.url}/api/board`, { headers: { 'accept-encoding': 'identity' } });
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('cache-control')).toBe('public, max-age=1');
      expect([res.headers.get('x-board-width'), res.headers.get('x-board-height')]).toEqual(['64', '48']);
      expect((await res.arrayBuffer()).byteLength).toBe(64 * 48 / 2);
      const etag = res.headers.get('etag')!;
      const again = await fetch(`${f.url}/api/board`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      const http = await import('node:http');
      const gz = await new Promise<{ encoding?: string; bytes: Buffer }>((resolve) => {
        http.get(`${f.url}/api/board`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ encoding: r.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
        });
      });
      expect(gz.encoding).toBe('gzip');
      expect(gunzipSync(gz.bytes).length).toBe(64 * 48 / 2);
    });

    it('serves a tile of the board (the whole of this small board), gzip when asked, and 400 for a tile off the board', async () => {
      const { bytes, seq } = await (await user()).board();
      const res = await fetch(`${f.url}/api/board/tiles/0/0`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect([res.headers.get('x-tile-x'), res.headers.get('x-tile-y'), res.headers.get('x-tile-width'), res.headers.get('x-tile-height')]).toEqual(['0', '0', '64', '48']);
      expect(Number(res.headers.get('x-board-seq'))).toBeGreaterThanOrEqual(seq);
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
      for (const path of ['1/0', '0/1', 'x/0']) {
        const bad = await fetch(`${f.url}/api/board/tiles/${path}`);
        expect(bad.status).toBe(400);
        expect(await bad.json()).toMatchObject({ error: 'invalid_tile' });
      }
    });

    it('renders board.png in the exact palette colours', async () => {
      const bob = await user();
      await bob.place(10, 11, 5);
      const { bytes } = await bob.board();
      const res = await fetch(`${f.url}/api/board.png`);
      expect(res.headers.get('content-type')).toBe('image/png');
      const { data, info } = await sharp(Buffer.from(await res.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([64, 48]);
      for (let i = 0; i < 64 * 48; i++) {
        const c = colorAt(bytes, i) * 3;
        const o = i * info.channels;
        if (data[o] !== PALETTE_RGB[c] || data[o + 1] !== PALETTE_RGB[c + 1] || data[o + 2] !== PALETTE_RGB[c + 2]) {
          throw new Error(`pixel ${i} differs`);
        }
      }
    });

    it('answers bad writes with clear errors and changes nothing', async () => {
      const carol = await user();
      const before = await observable(carol);
      const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
        carol.request('POST', '/api/pixels', { body, headers });
      const cases: [Promise<{ status: number; body: Record<string, unknown> }>, number, string][] = [
        [post('{nope'), 400, 'invalid_json'],
        [post(JSON.stringify({ x: 64, y: 0, color: 1 })), 400, 'invalid_pixel'],
        [post(JSON.stringify({ x: 0, y: -1, color: 1 })), 400, 'invalid_pixel'],
        [post(JSON.stringify({ x: 0, y: 0, color: 16 })), 400, 'invalid_pixel'],
        [post(JSON.stringify({ x: 0, y: 0, color: 1, pad: 'x'.repeat(2000) })), 413, 'payload_too_large'],
        [post('x=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type'],
        [client().place(2, 2, 1), 401, 'unauthorized'],
      ];
      for (const [res, status, error] of cases) {
        const r = await res;
        expect({ status: r.status, error: r.body.error }).toEqual({ status, error });
        expect(r.body.message).toEqual(expect.any(String));
      }
      const field = await post(JSON.stringify({ x: 0, y: 0, color: 16 }));
      expect(field.body.field).toBe('color');
      expect(await observable(carol)).toEqual(before);
    });

    it('rejects a write within the cooldown with 429, Retry-After and retryAfterMs, changing nothing', async () => {
      const dave = await user();
      expect((await dave.place(2, 2, 4)).status).toBe(201);
      const before = await observable(dave);
      const res = await dave.place(2, 2, 9);
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({ error: 'rate_limited', retryAfterMs: expect.any(Number) });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
      expect(await observable(dave)).toEqual(before);
    });

    it('holds the cooldown under concurrency: 200 concurrent writes from one user give exactly one 201', async () => {
      const eve = await user();
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => eve.place(i % SIZE.width, 20, i % 16)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 429)).toHaveLength(199);
    });

    it('answers pixel info 404 for a never-placed pixel and 400 for bad coordinates', async () => {
      expect((await client().request('GET', '/api/pixels/63/47')).body.error).toBe('not_found');
      expect((await client().request('GET', '/api/pixels/64/0')).body.error).toBe('invalid_pixel');
      expect((await client().request('GET', '/api/pixels?since=abc')).body.error).toBe('invalid_since');
    });

    it('answers 410 gone for updates older than the kept window', async () => {
      // Redis trims the stream approximately (whole nodes of up to 100 entries, an entry per
      // write call), so write well past the window, one call at a time.
      const writers = await Promise.all(Array.from({ length: 350 }, () => user()));
      for (const [i, w] of writers.entries()) await w.place(i % SIZE.width, 30, i % 16);
      const res = await client().request('GET', '/api/pixels?since=0');
      expect(res.status).toBe(410);
      expect(res.body.error).toBe('gone');
    });

    it('acknowledges a write only once it is persisted: the log has it right after the 201', async () => {
      const frank = await user();
      const res = await frank.place(40, 40, 7);
      expect(res.status).toBe(201);
      const stored = await f.services.log.pixel(40, 40);
      expect(stored).toMatchObject({ seq: res.body.seq, color: 7, userId: frank.userId });
    });

    it('two users writing one pixel concurrently: the live board, the log and a rebuild agree', async () => {
      const writers = await Promise.all(Array.from({ length: 40 }, () => user()));
      await Promise.all(writers.map((w, i) => w.place(50, 5, i % 16)));
      const live = await client().board();
      const info = await client().request('GET', '/api/pixels/50/5');
      expect(info.body.color).toBe(colorAt(live.bytes, pixelIndex(SIZE, 50, 5)));
      await f.loseLiveState();
      const rebuilt = await client().board();
      expect(rebuilt.seq).toBe(live.seq);
      expect(Buffer.from(rebuilt.bytes).equals(Buffer.from(live.bytes))).toBe(true);
    });

    it('after the live store loses everything, a rebuild gives the same board, seq and cooldowns', async () => {
      const writers = await Promise.all(Array.from({ length: 60 }, () => user()));
      await Promise.all(writers.map((w, i) => w.place((i * 7) % SIZE.width, (i * 5) % SIZE.height, i % 16)));
      const live = await client().board();
      await f.loseLiveState();
      const rebuilt = await client().board();
      expect(rebuilt.seq).toBe(live.seq);
      expect(Buffer.from(rebuilt.bytes).equals(Buffer.from(live.bytes))).toBe(true);
      expect((await writers[0]!.place(0, 0, 1)).status).toBe(429);
      const next = await (await user()).place(1, 1, 2);
      expect(next.body.seq).toBe(live.seq + 1);
    });

    it('a retry with the same Idempotency-Key gets the first answer and places nothing more', async () => {
      const gina = await user();
      const send = (x: number, key: string) => gina.request('POST', '/api/pixels', {
        body: JSON.stringify({ x, y: 7, color: 9 }), headers: { 'content-type': 'application/json', 'idempotency-key': key },
      });
      const first = await send(7, 'retry-1');
      expect(first.status).toBe(201);
      const before = await gina.board();
      const again = await send(7, 'retry-1');
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await gina.board()).seq).toBe(before.seq);
      const otherPixel = await send(8, 'retry-1');
      expect(otherPixel.status).toBe(422);
      expect(otherPixel.body.error).toBe('idempotency_key_reused');
      expect((await send(7, 'bad key!')).body.error).toBe('invalid_idempotency_key');
      expect((await send(7, 'retry-2')).status).toBe(429); // a new key is a new write: the cooldown holds
      expect((await gina.board()).seq).toBe(before.seq);
    });

    it('sends nosniff, a deny-all CSP and no referrer on every API response, errors included', async () => {
      for (const path of ['/api/config', '/api/board', '/api/pixels?since=0', '/api/me', '/api/nope']) {
        const res = await fetch(`${f.url}${path}`);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      }
    });

    it('answers broken %-encoding in a query with 400, not 500', async () => {
      for (const q of ['%', '%E0%A4%A', '1%', '%zz']) {
        const res = await client().request('GET', `/api/pixels?since=${q}`);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ error: expect.stringMatching(/^invalid_/), message: expect.any(String) });
      }
    });

    it('a restore at the same seq gives a new epoch: a new ETag, and 410 for since from the old epoch', async () => {
      const ivan = await user();
      await ivan.place(33, 33, 3);
      const before = await fetch(`${f.url}/api/board`);
      const oldEpoch = before.headers.get('x-board-epoch')!;
      await f.loseLiveState();
      const after = await fetch(`${f.url}/api/board`);
      expect(after.headers.get('x-board-seq')).toBe(before.headers.get('x-board-seq'));
      expect(after.headers.get('x-board-epoch')).not.toBe(oldEpoch);
      expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
      const seq = after.headers.get('x-board-seq');
      expect((await client().request('GET', `/api/pixels?since=${seq}&epoch=${oldEpoch}`)).status).toBe(410);
      expect((await client().request('GET', `/api/pixels?since=${seq}&epoch=${after.headers.get('x-board-epoch')}`)).status).toBe(200);
      expect((await fetch(`${f.url}/api/board`, { headers: { 'if-none-match': before.headers.get('etag')! } })).status).toBe(200);
    });

    it('a revoked session gets 401 on /api/me and on writes; a new session works', async () => {
      const judy = await user();
      expect((await judy.request('GET', '/api/me')).status).toBe(200);
      await f.services.store.revokeSessions(judy.userId, Date.now());
      expect((await judy.request('GET', '/api/me')).status).toBe(401);
      const write = await judy.place(12, 12, 1);
      expect(write.status).toBe(401);
      expect(write.body.error).toBe('unauthorized');
      expect((await (await user()).place(12, 12, 1)).status).toBe(201);
    });

    it('reports healthy while the stores answer', async () => {
      const res = await client().request('GET', '/healthz');
      expect(res.status).toBe(200);
    });

    it('answers unknown paths with 404 and wrong methods with 405, as JSON errors', async () => {
      expect((await client().request('GET', '/api/nope')).body.error).toBe('not_found');
      expect((await client().request('DELETE', '/api/board')).body.error).toBe('method_not_allowed');
    });
  });
}
