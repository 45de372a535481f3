// `npm run bench:safety`: what the safety check costs a client, on a 1000×1000 board with
// 200,000 random pixels on it (so the compressed board is a realistic size), served by the local
// runner on real Redis with writes flowing.
// 1. No divergence: BoardSync clients run for SAFETY_SECONDS with digests every SAFETY_DIGEST_MS
//    and a full check every SAFETY_CHECK_MS (shortened so a run sees several); the bytes of one
//    digest message and of one full check, as measured, are scaled to the shipped periods
//    (SOCKET_DIGEST_MS 60 s, FULL_CHECK_MS ~6 h) and compared with the earlier design: the whole
//    compressed board every 3 minutes (20 an hour).
// 2. A forced divergence: a client's copy is corrupted (pixels the writer never touches); the time
//    until the copy is right again, against the digest period, and the bytes fetched to repair it.
//   SAFETY_DIGEST_MS (10000), SAFETY_CHECK_MS (20000), SAFETY_SECONDS (60), SAFETY_CLIENTS (4), SAFETY_NOISE (200000)
import './exit-on-signal.ts';
import { WebSocket } from 'ws';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { loadConfig } from '../core/config.ts';
import { colorAt, createBoard, pixelIndex, setColorAt } from '../core/domain/board-codec.ts';
import { tileOf } from '../core/protocol/board-digest.ts';
import { startRedis } from '../local/processes/redis-process.ts';
import { ENTRY, startServiceProcess } from '../local/processes/node-process.ts';
import { freePort, tempDir } from '../test-support/test-services.ts';
import { BoardSync, FULL_CHECK_MS, type SocketLike } from '../web/sync/board-sync.ts';
import { round } from './bench-support.ts';
import { cloneCounts, countingFetch, diffCounts, emptyCounts, type FetchCounts } from './counting-fetch.ts';

const DIGEST_MS = Number(process.env.SAFETY_DIGEST_MS ?? 10_000);
const CHECK_MS = Number(process.env.SAFETY_CHECK_MS ?? 20_000);
const SECONDS = Number(process.env.SAFETY_SECONDS ?? 60);
const CLIENTS = Number(process.env.SAFETY_CLIENTS ?? 4);
const NOISE = Number(process.env.SAFETY_NOISE ?? 200_000);
const WRITE_RATE = 20;
const size = { width: 1000, height: 1000 };
const OLD_CHECKS_PER_HOUR = 20; // the earlier design: the whole board every 3 minutes
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wsFrameBytes = (payload: number) => payload + (payload < 126 ? 2 : payload < 65_536 ? 4 : 10);

interface Probe { sync: BoardSync; http: FetchCounts; socket: Record<string, { messages: number; bytes: number }> }

function probe(apiUrl: string, socketUrl: string, checkIntervalMs = CHECK_MS): Probe {
  const http = emptyCounts();
  const socket: Probe['socket'] = {};
  const sync = new BoardSync({
    apiUrl, socketUrls: [socketUrl], fetch: countingFetch(http), checkIntervalMs,
    openSocket: (url) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      // Socket bytes by message type (the frame header included, TCP/IP not).
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        const type = isBinary ? 'pixels' : (/^\{"type":"(\w+)"/.exec(data.toString('latin1', 0, 24))?.[1] ?? 'other');
        const t = (socket[type] ??= { messages: 0, bytes: 0 });
        t.messages++;
        t.bytes += wsFrameBytes(data.length);
      });
      return ws as unknown as SocketLike;
    },
  });
  sync.start();
  return { sync, http, socket };
}

const redis = await startRedis({ port: await freePort(), dataDir: tempDir('safety-redis') });
const writer = await RedisBoardStore.connect({
  redis: { url: redis.url, keyPrefix: 'bench', authSecretArn: null }, size, rules: { cooldownMs: 0, placementsPerIp: 1e9 },
  sessionsPerIpPerHour: 1, updatesKept: 100_000,
});
const noisy = createBoard(size);
for (let i = 0; i < NOISE; i++) setColorAt(noisy, Math.floor(Math.random() * 1e6), Math.floor(Math.random() * 16));
await writer.restore({ board: noisy, seq: 0, version: 0 }, [], Date.now());
const runner = await startServiceProcess({
  REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench', DATA_DIR: tempDir('safety-data'), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
  SESSION_SECRET: 'bench-secret', COOLDOWN_MS: '0', READS_PER_IP_PER_MINUTE: '1000000', SOCKET_DIGEST_MS: String(DIGEST_MS),
}, ENTRY.runner, 'ignore');
const apiUrl = `http://127.0.0.1:${runner.port}`;
const socketUrl = `ws://127.0.0.1:${runner.port}/ws`;
let writing = true;
const probes: Probe[] = [];
try {
  // The writer only touches the top 100 rows, so the corrupted pixels below stay as the server has them.
  const writes = (async () => {
    for (let i = 0; writing; i++) {
      await sleep(1000 / WRITE_RATE);
      await writer.place({ x: i % 1000, y: (i * 7) % 100, color: i % 16, userId: 'writer', ip: 'bench', now: Date.now() })
        .then((o) => (o.status === 'placed' ? writer.markPersisted(o.placement) : undefined));
    }
  })();
  await sleep(2500); // the board published
  const board = await fetch(`${apiUrl}/api/board`);
  const boardWire = Number(board.headers.get('content-length'));
  await board.arrayBuffer();

  // --- 1. no divergence -----------------------------------------------------------------------
  for (let i = 0; i < CLIENTS; i++) probes.push(probe(apiUrl, socketUrl));
  while (probes.some((p) => p.sync.status !== 'live')) await sleep(50);
  await sleep(1000);
  const start = probes.map((p) => ({ http: cloneCounts(p.http), socket: structuredClone(p.socket), stats: { ...p.sync.stats } }));
  await sleep(SECONDS * 1000);
  let digests = 0, digestBytes = 0, checks = 0, checkBytes = 0, tileRequests = 0, checked = 0, skipped = 0, differed = 0;
  for (const [i, p] of probes.entries()) {
    const s = start[i]!;
    digests += p.socket.digest!.messages - (s.socket.digest?.messages ?? 0);
    digestBytes += p.socket.digest!.bytes - (s.socket.digest?.bytes ?? 0);
    const http = diffCounts(s.http, p.http);
    checks += p.sync.stats.checks - s.stats.checks;
    checkBytes += http.board.wire;
    tileRequests += http.tile.requests;
    checked += p.sync.stats.digestsChecked - s.stats.digestsChecked;
    skipped += p.sync.stats.digestsSkipped - s.stats.digestsSkipped;
    differed += p.sync.stats.mismatchedTiles - s.stats.mismatchedTiles;
  }
  const perDigest = digestBytes / digests;
  const perCheck = checks ? checkBytes / checks : boardWire;
  const digestMsShipped = loadConfig({}).socket.digestMs; // the shipped default
  const newPerHour = perDigest * (3_600_000 / digestMsShipped) + perCheck * (3_600_000 / FULL_CHECK_MS);
  const oldPerHour = boardWire * OLD_CHECKS_PER_HOUR;
  console.log(`\n1. no divergence: ${CLIENTS} clients for ${SECONDS} s, digest every ${DIGEST_MS} ms, full check every ${CHECK_MS} ms (±20 %), ${WRITE_RATE} px/s`);
  const line = (k: string, v: unknown) => console.log(`  ${k.padEnd(58)} ${v}`);
  line('board (1000×1000, gzip on the wire)', `${round(boardWire / 1024, 1)} KB`);
  line('digest messages received / compared / skipped / differing tiles', `${digests} / ${checked} / ${skipped} / ${differed}`);
  line('bytes per digest message (WebSocket frame)', round(perDigest, 0));
  line('full checks / KB each on the wire / tile requests', `${checks} / ${round(perCheck / 1024, 1)} / ${tileRequests}`);
  line(`per client-hour now: ${3_600_000 / digestMsShipped} digests + ${round(3_600_000 / FULL_CHECK_MS, 3)} full checks`, `${round(newPerHour / 1024, 1)} KB`);
  line('per client-hour before: 20 whole boards', `${round(oldPerHour / 1024, 1)} KB`);
  line('now / before (target ≤ 2 %)', `${round((100 * newPerHour) / oldPerHour, 2)} %`);

  // --- 2. forced divergence -------------------------------------------------------------------
  console.log(`\n2. forced divergence (digest every ${DIGEST_MS} ms)`);
  const truth = (await writer.snapshot())!.bytes;
  const trials: { name: string; pixels: [number, number][] }[] = [
    { name: '1 pixel', pixels: [[600, 600]] },
    { name: '5 pixels', pixels: [[520, 520], [530, 540], [600, 700], [700, 600], [760, 760]] },
    { name: '12 pixels', pixels: Array.from({ length: 12 }, (_, k) => [300 + (k % 3) * 256, 300 + k * 5] as [number, number]) },
    // Past a quarter of the tiles (GROSS_SHARE), the client fetches the whole board instead.
    { name: '40 pixels', pixels: Array.from({ length: 40 }, (_, k) => [(k % 4) * 256 + 10, (Math.floor(k / 4) % 4) * 256 + 10 + k] as [number, number]) },
  ];
  // A client of its own, without the full check, so only the digest can find what was corrupted.
  const p = probe(apiUrl, socketUrl, 0);
  probes.push(p);
  while (p.sync.status !== 'live') await sleep(50);
  for (const trial of trials) {
    const before = cloneCounts(p.http);
    const tilesBefore = p.sync.stats.mismatchedTiles;
    const board = p.sync.board!;
    const idx = trial.pixels.map(([x, y]) => pixelIndex(size, x, y));
    for (const i of idx) setColorAt(board, i, (colorAt(board, i) + 1) % 16);
    const tiles = new Set(trial.pixels.map(([x, y]) => tileOf(size, x, y))).size;
    const corruptedAt = Date.now();
    while (!idx.every((i) => colorAt(p.sync.board!, i) === colorAt(truth, i)) && Date.now() - corruptedAt < 4 * DIGEST_MS) await sleep(20);
    const repairedS = (Date.now() - corruptedAt) / 1000;
    await sleep(300);
    const http = diffCounts(before, p.http);
    line(`${trial.name} in ${tiles} of 16 tiles`, `repaired after ${round(repairedS, 2)} s (period ${DIGEST_MS / 1000} s); `
      + `fetched ${http.tile.requests} tiles ${round(http.tile.wire / 1024, 1)} KB, ${http.board.requests} boards ${round(http.board.wire / 1024, 1)} KB, `
      + `${http.segment.requests + http.since.requests} update reads; client counted ${p.sync.stats.mismatchedTiles - tilesBefore} differing tiles`);
  }
  const metrics = await (await fetch(`${apiUrl}/metrics`)).text();
  line('server /metrics pixel_socket_client_mismatches_total', /^pixel_socket_client_mismatches_total (\S+)/m.exec(metrics)?.[1]);
  writing = false;
  await writes;
} finally {
  writing = false;
  for (const p of probes) p.sync.stop();
  await runner.stop();
  await writer.close();
  await redis.stop();
}
