// Must hold: board.png?at=T equals the live board's PNG captured at T, for several T across
// snapshot boundaries, on Redis + Cassandra (and ?seq= the PNG captured after that seq).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../../test-support/service-fixture.ts';
import { ApiClient } from '../../test-support/api-client.ts';
import { OpenApiCheck } from '../../test-support/openapi-check.ts';
import { takeSnapshot } from '../service/snapshots.ts';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the board at a past moment, on Redis and Cassandra', () => {
  let f: ServiceFixture;
  beforeAll(async () => {
    f = await startServiceFixture('real', { env: { BOARD_WIDTH: '50', BOARD_HEIGHT: '40', COOLDOWN_MS: '0', SNAPSHOT_INTERVAL_MS: '0', HEAVY_READS_PER_IP_PER_MINUTE: '1000' } });
  });
  afterAll(async () => f?.close());

  it('equals the live board PNG captured at T, for moments before, between and after snapshots', async () => {
    const api = await new ApiClient(f.url, new OpenApiCheck(f.config)).startSession();
    const captured: { at: number; seq: number; png: Buffer }[] = [];
    const capture = async () => {
      await pause(3);
      const at = Date.now();
      const res = await fetch(`${f.url}/api/board.png`);
      captured.push({ at, seq: Number(res.headers.get('x-board-seq')), png: Buffer.from(await res.arrayBuffer()) });
      await pause(3);
    };
    let n = 0;
    const placeSome = async (count: number) => {
      for (let i = 0; i < count; i++, n++) expect((await api.place((n * 7) % 50, (n * 3) % 40, (n % 15) + 1)).status).toBe(201);
    };
    await placeSome(30);
    await capture(); // before any snapshot
    await placeSome(30);
    await takeSnapshot(f.services);
    await capture(); // right after a snapshot
    await placeSome(40);
    await capture(); // between snapshots
    await placeSome(10);
    await takeSnapshot(f.services);
    await placeSome(25);
    await capture(); // after the second
    await takeSnapshot(f.services);
    await capture(); // at the last snapshot, nothing after it
    expect((await f.services.snapshots.list()).length).toBe(3);

    for (const c of captured) {
      const res = await fetch(`${f.url}/api/board.png?at=${c.at}`);
      expect(res.status).toBe(200);
      expect({ at: c.at, seq: Number(res.headers.get('x-board-seq')) }).toEqual({ at: c.at, seq: c.seq });
      expect(Buffer.from(await res.arrayBuffer()).equals(c.png)).toBe(true);
      const bySeq = await fetch(`${f.url}/api/board.png?seq=${c.seq}`);
      expect(Buffer.from(await bySeq.arrayBuffer()).equals(c.png)).toBe(true);
    }
  });
});
