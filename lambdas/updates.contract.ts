// Update segments (GET /api/updates/{epoch}/{segment}) and the cap on uncached update reads,
// over real HTTP, against embedded stores and against real Redis + Cassandra.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../test-support/api-client.ts';
import { checkedFetch, OpenApiCheck } from '../test-support/openapi-check.ts';
import { startServiceFixture, type Backend, type ServiceFixture } from '../test-support/service-fixture.ts';
import { batchToUpdates, decodePixelBatch, type PixelUpdate } from '../core/protocol/pixel-batch.ts';

const SEGMENT = 64;
const READ_CAP = 40;

export function describeUpdatesContract(backend: Backend): void {
  describe(`update segments on ${backend} stores`, () => {
    let f: ServiceFixture;
    let check: OpenApiCheck;
    // Every response is checked against the OpenAPI document.
    let fetch: (url: string, init?: RequestInit) => Promise<Response>;
    const client = () => new ApiClient(f.url, check);
    const placed: PixelUpdate[] = [];
    let epoch = '';

    beforeAll(async () => {
      f = await startServiceFixture(backend, {
        env: { BOARD_WIDTH: '64', BOARD_HEIGHT: '48', UPDATES_KEPT: '100', UPDATES_SEGMENT: String(SEGMENT), READS_PER_IP_PER_MINUTE: String(READ_CAP) },
      });
      check = new OpenApiCheck(f.config);
      fetch = checkedFetch(check);
      // 350 writes: seqs 1…64 fall out of the live store's kept window (100) and come from the journal.
      const writers = await Promise.all(Array.from({ length: 350 }, () => client().startSession()));
      const results = await Promise.all(writers.map((w, i) => w.place(i % 64, (i * 7) % 48, i % 16)));
      results.forEach((r, i) => placed.push({ seq: r.body.seq as number, x: i % 64, y: (i * 7) % 48, color: i % 16 }));
      placed.sort((a, b) => a.seq - b.seq);
      epoch = (await fetch(`${f.url}/api/board`)).headers.get('x-board-epoch')!;
    });
    afterAll(async () => f?.close());

    const segment = async (index: number) => {
      const res = await fetch(`${f.url}/api/updates/${epoch}/${index}`);
      return { res, updates: res.status === 200 ? batchToUpdates(decodePixelBatch(new Uint8Array(await res.arrayBuffer()))) : [] };
    };

    it('serves a full segment, even one older than the live store keeps, complete and cacheable for good', async () => {
      const { res, updates } = await segment(0);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('x-board-seq')).toBe(String(SEGMENT));
      expect(updates).toEqual(placed.slice(0, SEGMENT));
    });

    it('serves the open segment, as far as it goes, cached for a second only', async () => {
      const { res, updates } = await segment(5); // seqs 321…384, of which 321…350 exist
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=1');
      expect(res.headers.get('x-board-seq')).toBe('350');
      expect(updates).toEqual(placed.slice(320));
      const beyond = await segment(9);
      expect(beyond.updates).toEqual([]);
    });

    it('walking every segment gives every update, in order, once', async () => {
      const all: PixelUpdate[] = [];
      for (let i = 0; i <= 5; i++) all.push(...(await segment(i)).updates);
      expect(all).toEqual(placed);
    });

    it('answers 410 for another epoch, 400 for a segment that is not a number, 404 for another path', async () => {
      const other = await fetch(`${f.url}/api/updates/${Number(epoch) + 1}/0`);
      expect(other.status).toBe(410);
      expect(await other.json()).toMatchObject({ error: 'gone' });
      for (const path of ['/api/updates/x/0', '/api/updates/1/-1', '/api/updates/1/0.5']) {
        const res = await client().request('GET', path);
        expect(res.status, path).toBe(400);
        expect(res.body.error).toBe('invalid_segment');
      }
      for (const path of ['/api/updates/1', '/api/updates/1/0/2']) expect((await client().request('GET', path)).status, path).toBe(404);
    });

    it('caps uncached update reads per address: 429 with Retry-After, and ?since= shares the cap', async () => {
      // Counted in any minute, not per clock minute: the request after the cap is refused.
      let refused: Response | null = null;
      for (let i = 0; i < READ_CAP + 1 && !refused; i++) {
        const res = await fetch(`${f.url}/api/${i % 2 ? `pixels?since=340` : `updates/${epoch}/0`}`);
        if (res.status === 429) refused = res;
        else expect(res.status, `request ${i + 1} of a cap of ${READ_CAP}`).toBe(200);
      }
      expect(refused).not.toBeNull();
      expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused!.json()).toMatchObject({ error: 'rate_limited', message: expect.any(String) });
      // Reading the board is not an update read: it is cached at the edge and never capped here.
      expect((await fetch(`${f.url}/api/board`)).status).toBe(200);
    });
  });
}
