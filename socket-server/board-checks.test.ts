// The cheap safety check (digests) and live board growth, end to end in process: the local
// runner on embedded stores, its socket server, and BoardSync clients over real sockets.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { attachSocketServer, type LocalSockets } from '../local/local-sockets.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { nodeSync, waitUntil } from '../test-support/sync-clients.ts';
import { colorAt, pixelIndex, setColorAt } from '../core/domain/board-codec.ts';
import { resizeBoardLive } from '../core/service/resize.ts';

describe('digests and live growth', () => {
  let f: ServiceFixture;
  let sockets: LocalSockets;
  let wsUrl: string;

  beforeEach(async () => {
    f = await startServiceFixture('embedded', { env: { COOLDOWN_MS: '0', SOCKET_TICK_MS: '5', SOCKET_DIGEST_MS: '300' } });
    sockets = await attachSocketServer(f.services, f.server);
    wsUrl = `${f.url.replace('http', 'ws')}/ws`;
  });
  afterEach(async () => {
    await sockets.close();
    await f.close();
  });

  const place = async (n: number, y: number) => {
    for (let i = 0; i < n; i++) await f.services.store.place({ x: i * 37, y, color: 1 + (i % 15), userId: `p${y}-${i}`, ip: 'i', now: Date.now() });
  };
  const serverBoard = async () => (await f.services.store.snapshot())!.bytes;

  it('a client in step with the board checks every digest and fetches nothing for it', async () => {
    const client = nodeSync({ apiUrl: f.url, socketUrls: [wsUrl] });
    await waitUntil('live', () => client.sync.status === 'live');
    await place(20, 3);
    await waitUntil('two digests checked', () => client.sync.stats.digestsChecked >= 2);
    const requests = client.sync.http.requests;
    await waitUntil('two more', () => client.sync.stats.digestsChecked >= 4);
    expect(client.sync.http.requests).toBe(requests);
    expect(client.sync.stats.mismatchedTiles).toBe(0);
    expect(sockets.server.stats.clientMismatches).toBe(0);
    client.sync.stop();
  });

  it('a client whose copy went wrong fetches only the tile that differs, within one digest period, and the server counts it', async () => {
    const client = nodeSync({ apiUrl: f.url, socketUrls: [wsUrl] });
    await waitUntil('live', () => client.sync.status === 'live');
    await place(10, 300);
    await waitUntil('a digest checked', () => client.sync.stats.digestsChecked >= 1);
    // Corrupt the client's copy behind its back (no seq), in tile (1, 1).
    const size = { width: client.sync.width, height: client.sync.height };
    const i = pixelIndex(size, 300, 300);
    setColorAt(client.sync.board!, i, (colorAt(client.sync.board!, i) + 7) % 16);
    const bytesBefore = client.sync.http.bytesReceived;
    await waitUntil('repaired within a digest period or so', () => client.sync.stats.mismatchedPixels > 0, 1500);
    expect(client.sync.stats.mismatchedTiles).toBe(1);
    expect(client.sync.stats.mismatchedPixels).toBe(1);
    expect(Buffer.from(client.sync.board!).equals(Buffer.from(await serverBoard()))).toBe(true);
    expect(client.sync.http.bytesReceived - bytesBefore).toBe(256 * 256 / 2); // one tile, not the 500 KB board
    await waitUntil('the server counted it', () => sockets.server.stats.clientMismatches === 1);
    expect(sockets.server.stats.mismatchedTiles).toBe(1);
    client.sync.stop();
  });

  it('grows the board during the event: clients keep every pixel and seq, get the new size, and place in the new area', async () => {
    const client = nodeSync({ apiUrl: f.url, socketUrls: [wsUrl] });
    await waitUntil('live', () => client.sync.status === 'live');
    await place(5, 999);
    await waitUntil('seq 5', () => client.sync.seq === 5);
    const before = await serverBoard();
    const grown = await resizeBoardLive(f.services, { width: 1500, height: 1200 });
    expect(grown).toMatchObject({ seq: 5, width: 1500, height: 1200 });
    await waitUntil('the client grew', () => client.sync.width === 1500 && client.sync.height === 1200);
    expect(client.sync.seq).toBe(5);
    expect(colorAt(client.sync.board!, pixelIndex({ width: 1500, height: 1200 }, 37, 999))).toBe(colorAt(before, pixelIndex({ width: 1000, height: 1000 }, 37, 999)));
    const artist = await new ApiClient(f.url).startSession();
    const placed = await artist.place(1499, 1199, 6);
    expect(placed.status).toBe(201);
    expect((await artist.place(1500, 0, 6)).body).toMatchObject({ error: 'invalid_pixel', field: 'x', message: 'x must be an integer from 0 to 1499.' });
    await waitUntil('the pixel in the new area', () => client.sync.seq === placed.body.seq);
    expect(colorAt(client.sync.board!, pixelIndex({ width: 1500, height: 1200 }, 1499, 1199))).toBe(6);
    expect(Buffer.from(client.sync.board!).equals(Buffer.from(await serverBoard()))).toBe(true);
    expect(client.sync.stats.boardLoads).toBe(1); // nothing refetched: the new area was empty
    // A newcomer sees the new size everywhere.
    const config = await (await fetch(`${f.url}/api/config`)).json() as { width: number };
    expect(config.width).toBe(1500);
    const png = await sharp(Buffer.from(await (await fetch(`${f.url}/api/board.png`)).arrayBuffer())).metadata();
    expect([png.width, png.height]).toEqual([1500, 1200]);
    const newcomer = nodeSync({ apiUrl: f.url, socketUrls: [wsUrl] });
    await waitUntil('newcomer live', () => newcomer.sync.status === 'live');
    expect([newcomer.sync.width, newcomer.sync.height]).toEqual([1500, 1200]);
    expect(sockets.server.stats.resizes).toBe(1);
    client.sync.stop();
    newcomer.sync.stop();
  });
});
