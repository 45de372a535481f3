// `npm run bench:first-paint`: how long a visitor waits for the board, in Debian's Chromium over
// an emulated slow link (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up: Lighthouse's "slow 4G").
// "First paint of the board" is the first animation frame in which the canvas shows the
// server's board: 64 placed pixels, spread over the board, all read back with their colours
// (on a warm visit that may be the board cached by the last visit: it equals the server's here,
// as nothing is placed in between). "Live": the first frame with the connection pill at Live
// (the server's board loaded and the socket greeted). Cold: a new browser profile (nothing
// cached). Warm: the same profile reloads.
//   BENCH_RUNS (default 5), BENCH_PIXELS (default 25,000 placed before measuring),
//   BENCH_ROOT (another checkout to measure, e.g. a worktree of an older commit; default this one),
//   BENCH_WIDTH × BENCH_HEIGHT (default 1000 × 1000; up to 3000 × 2000, r/place 2023's final size)
import './exit-on-signal.ts';
import { postSession } from '../test-support/pow-solver.ts';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { colorAt } from '../core/domain/board-codec.ts';
import { post, round, startServiceProcess } from './bench-support.ts';
import { freePort, tempDir } from '../test-support/test-services.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PIXELS = Number(process.env.BENCH_PIXELS ?? 25_000);
const SAMPLES = 64;
const ROOT = path.resolve(process.env.BENCH_ROOT ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const WIDTH = Number(process.env.BENCH_WIDTH ?? 1000);
const HEIGHT = Number(process.env.BENCH_HEIGHT ?? 1000);
/** Lighthouse's mobile throttling: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up (bytes/s for CDP). */
const LINK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };

/** A picture of sorts: filled rectangles (what groups draw) and scattered single pixels. */
function* placements(total: number): Generator<{ x: number; y: number; color: number }> {
  let n = 0;
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let r = 0; r < 10 && n < total * 0.6; r++) {
    const x0 = Math.floor(rand() * (WIDTH - 60));
    const y0 = Math.floor(rand() * (HEIGHT - 40));
    const color = 2 + (r % 14);
    for (let y = y0; y < y0 + 30 && n < total * 0.6; y++) for (let x = x0; x < x0 + 50 && n < total * 0.6; x++, n++) yield { x, y, color };
  }
  for (; n < total; n++) yield { x: Math.floor(rand() * WIDTH), y: Math.floor(rand() * HEIGHT), color: 1 + Math.floor(rand() * 15) };
}

async function seedBoard(baseUrl: string, port: number): Promise<void> {
  const session = (await (await postSession(baseUrl)).json()) as { token: string };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const all = [...placements(PIXELS)];
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < all.length) {
      const p = all[next++]!;
      const status = await post(agent, port, '/api/pixels', JSON.stringify(p), { 'content-type': 'application/json', authorization: `Bearer ${session.token}` });
      if (status !== 201) throw new Error(`seeding: status ${status}`);
    }
  }));
  agent.destroy();
}

/** Placed pixels spread over the board, with their colours as RGB. */
async function samples(baseUrl: string): Promise<{ x: number; y: number; rgb: number[] }[]> {
  const { PALETTE_RGB } = await import('../core/domain/palette.ts');
  const board = new Uint8Array(await (await fetch(`${baseUrl}/api/board`)).arrayBuffer());
  const placed: number[] = [];
  for (let i = 0; i < WIDTH * HEIGHT; i++) if (colorAt(board, i) !== 0) placed.push(i);
  const step = Math.max(1, Math.floor(placed.length / SAMPLES));
  return placed.filter((_, k) => k % step === 0).slice(0, SAMPLES).map((i) => {
    const c = colorAt(board, i) * 3;
    return { x: i % WIDTH, y: Math.floor(i / WIDTH), rgb: [PALETTE_RGB[c]!, PALETTE_RGB[c + 1]!, PALETTE_RGB[c + 2]!] };
  });
}

/**
 * Runs in the page before its own scripts (a string: the benchmark has no DOM types). Every
 * animation frame it reads the sample pixels back from the board canvas; the first frame where
 * all match is the board's first paint. Also records the first contentful paint.
 */
function watcher(sampled: { x: number; y: number; rgb: number[] }[]): string {
  return `(() => {
    const samples = ${JSON.stringify(sampled)};
    window.__bench = { board: null, live: null, fcp: null };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') window.__bench.fcp = e.startTime;
    }).observe({ type: 'paint', buffered: true });
    const check = () => {
      const pill = document.getElementById('status');
      if (window.__bench.live === null && pill && pill.dataset.status === 'live') window.__bench.live = performance.now();
      if (window.__bench.board !== null) { if (window.__bench.live === null) requestAnimationFrame(check); return; }
      const canvas = document.getElementById('board');
      const ctx = canvas && canvas.width > 1 ? canvas.getContext('2d') : null;
      if (ctx && samples.every((s) => {
        const d = ctx.getImageData(s.x, s.y, 1, 1).data;
        return d[0] === s.rgb[0] && d[1] === s.rgb[1] && d[2] === s.rgb[2];
      })) window.__bench.board = performance.now();
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })();`;
}

interface Visit { board: number; live: number; fcp: number; bytes: number }
interface BenchWindow { __bench?: { board: number | null; live: number | null; fcp: number | null; bytes?: number } }

async function visit(browser: Browser, baseUrl: string, script: string, runs: number): Promise<{ cold: Visit[]; warm: Visit[] }> {
  const cold: Visit[] = [];
  const warm: Visit[] = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await context.addInitScript({ content: script });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', LINK);
    for (const into of [cold, warm]) {
      if (into === cold) await page.goto(`${baseUrl}/`);
      else await page.reload();
      // Functions, not strings: the page's CSP forbids eval, and these run as the page's own code.
      await page.waitForFunction(() => {
        const b = (globalThis as unknown as BenchWindow).__bench;
        return b?.board != null && b.live != null;
      }, undefined, { timeout: 60_000, polling: 50 });
      const r = await page.evaluate(() => {
        const b = (globalThis as unknown as BenchWindow).__bench!;
        // Bytes of every response finished by the time the board showed.
        const perf = performance as unknown as { getEntriesByType(type: string): { transferSize: number; responseEnd: number }[] };
        const entries = [...perf.getEntriesByType('navigation'), ...perf.getEntriesByType('resource')].filter((e) => e.responseEnd <= b.board!);
        return { board: b.board!, live: b.live!, fcp: b.fcp ?? Number.NaN, bytes: entries.reduce((n, e) => n + e.transferSize, 0) };
      });
      into.push(r);
    }
    await context.close();
  }
  return { cold, warm };
}

const range = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${round(s[0]!, 0)}–${round(s.at(-1)!, 0)} (median ${round(s[Math.floor(s.length / 2)]!, 0)})`;
};

const port = await freePort();
const service = await startServiceProcess({
  PORT: String(port), DATA_DIR: tempDir('first-paint'), SESSION_SECRET: 'bench-secret', BOARD_WIDTH: String(WIDTH), BOARD_HEIGHT: String(HEIGHT),
  COOLDOWN_MS: '0', PLACEMENTS_PER_IP: '1000000', SESSIONS_PER_IP_PER_HOUR: '1000000', SOCKET_CONNECTIONS_PER_IP: '100000', LOG_LEVEL: 'warn',
  POW_EVERY: '0', // one session seeds the board
}, path.join(ROOT, 'bin/start.ts'), 'ignore');
const baseUrl = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  await seedBoard(baseUrl, port);
  const board = await fetch(`${baseUrl}/api/board`, { headers: { 'accept-encoding': 'gzip' } });
  const gzipBytes = Number(board.headers.get('content-length'));
  const script = watcher(await samples(baseUrl));
  const { cold, warm } = await visit(browser, baseUrl, script, RUNS);
  console.log(JSON.stringify({
    root: ROOT, runs: RUNS, board: `${WIDTH}x${HEIGHT}`, placed: PIXELS, boardGzipBytes: gzipBytes, link: LINK,
    cold: { boardMs: cold.map((v) => round(v.board, 0)), liveMs: cold.map((v) => round(v.live, 0)), fcpMs: cold.map((v) => round(v.fcp, 0)), bytesBeforeBoard: cold.map((v) => v.bytes) },
    warm: { boardMs: warm.map((v) => round(v.board, 0)), liveMs: warm.map((v) => round(v.live, 0)), fcpMs: warm.map((v) => round(v.fcp, 0)), bytesBeforeBoard: warm.map((v) => v.bytes) },
  }, null, 2));
  for (const [name, visits] of [['cold', cold], ['warm', warm]] as const) {
    console.log(`${name}: board ${range(visits.map((v) => v.board))} ms, live ${range(visits.map((v) => v.live))} ms, first contentful paint ${range(visits.map((v) => v.fcp))} ms`);
  }
} finally {
  await browser.close();
  await service.stop();
}
