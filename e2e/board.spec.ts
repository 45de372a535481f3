// The board page in a real browser (Debian's Chromium), with many pages and headless clients.
// Pages place as people do: select a pixel, then press Place.
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ApiClient } from '../test-support/api-client.ts';
import { nodeSync, waitUntil, type RecordingSync } from '../test-support/sync-clients.ts';
import { startE2eService, type E2eService } from './service.ts';
import { canvasMatchesServer, openBoard, placePixel, screenPoint, selectColour } from './page-helpers.ts';

test.describe.configure({ mode: 'serial' });

let service: E2eService;
test.beforeAll(async () => { service = await startE2eService(); });
test.afterAll(async () => service?.stop());

const canvasMatchesPng = (page: Page) => canvasMatchesServer(page, service.url);

async function newPages(browser: Browser, n: number): Promise<{ contexts: BrowserContext[]; pages: Page[]; errors: string[][] }> {
  const contexts = await Promise.all(Array.from({ length: n }, () => browser.newContext({ viewport: { width: 1000, height: 760 } })));
  const pages = await Promise.all(contexts.map((c) => c.newPage()));
  const errors = await Promise.all(pages.map((p) => openBoard(p, service.url)));
  return { contexts, pages, errors };
}

test('8 pages and 200 headless clients end with the same board; canvases match board.png', async ({ browser }, info) => {
  const headless: RecordingSync[] = Array.from({ length: 200 }, () => nodeSync({ apiUrl: service.url, socketUrls: [`${service.url.replace('http', 'ws')}/ws`] }));
  await waitUntil('headless clients live', () => headless.every((c) => c.sync.status === 'live'), 30_000);
  const { contexts, pages, errors } = await newPages(browser, 8);

  // Every page places two pixels: one now, one once its cooldown has passed.
  for (const round of [0, 1]) {
    await Promise.all(pages.map(async (page, i) => {
      if (round === 1) await expect(page.locator('#cooldown')).toHaveText('Ready', { timeout: 15_000 });
      await selectColour(page, (i * 2 + round + 2) % 16);
      await placePixel(page, 20 + i * 20, 30 + round * 40);
      await expect(page.locator('#cooldown')).not.toHaveText('Ready');
    }));
  }
  const api = new ApiClient(service.url);
  for (const [i] of pages.entries()) {
    for (const round of [0, 1]) {
      const placed = await api.request('GET', `/api/pixels/${20 + i * 20}/${30 + round * 40}`);
      expect(placed.body.color).toBe((i * 2 + round + 2) % 16);
    }
  }
  const truth = await api.board();
  expect(truth.seq).toBe(16);
  await waitUntil('headless clients converged', () => headless.every((c) => c.sync.seq === truth.seq), 20_000);
  for (const c of headless) expect(Buffer.from(c.sync.board!).equals(Buffer.from(truth.bytes))).toBe(true);
  for (const page of pages) await canvasMatchesPng(page);
  await pages[0]!.screenshot({ path: info.outputPath('board-after-16-pixels.png') });
  expect(errors.flat()).toEqual([]);
  for (const c of headless) c.sync.stop();
  await Promise.all(contexts.map((c) => c.close()));
});

test('cooldown: a second placement shows the timer, places nothing, and the timer runs out', async ({ browser }, info) => {
  const { contexts, pages, errors } = await newPages(browser, 1);
  const page = pages[0]!;
  await selectColour(page, 5);
  await placePixel(page, 150, 120);
  await expect(page.locator('#cooldown')).toHaveText(/^0:0[1-4]$/);
  await expect(page).toHaveTitle(/^\(0:0[1-4]\) Pixel board$/); // the cooldown in the tab title too
  await placePixel(page, 151, 120, true);
  await expect(page.locator('#toast')).toContainText('Not yet');
  await page.screenshot({ path: info.outputPath('cooldown.png') });
  expect((await new ApiClient(service.url).request('GET', '/api/pixels/151/120')).status).toBe(404);
  await expect(page.locator('#cooldown')).toHaveText('Ready', { timeout: 10_000 });
  await expect(page).toHaveTitle('Pixel board');
  expect(errors.flat()).toEqual([]);
  await Promise.all(contexts.map((c) => c.close()));
});

test('a pixel the server rejects is previewed, then reverted; the session survives a reload', async ({ browser }, info) => {
  // Two tabs of one person: both think they may place, but only the first gets through.
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  const [a, b] = [await context.newPage(), await context.newPage()];
  const errors = [...(await openBoard(a, service.url)), ...(await openBoard(b, service.url))];
  const userId = async (p: Page) => p.evaluate(async () => ((await (await fetch('/api/me')).json()) as { userId?: string }).userId);
  await selectColour(a, 6);
  await placePixel(a, 60, 60); // starts the session both tabs share
  await expect(a.locator('#cooldown')).not.toHaveText('Ready');
  expect(await userId(a)).toMatch(/.+/);
  expect(await userId(a)).toBe(await userId(b));
  const pixelRgb = async (p: Page, x: number, y: number) => p.evaluate(([px, py]) => {
    const c = document.getElementById('board') as HTMLCanvasElement;
    return Array.from(c.getContext('2d')!.getImageData(px!, py!, 1, 1).data.slice(0, 3));
  }, [x, y]);
  const before = await pixelRgb(b, 61, 60);
  // Hold the request until the canvas shows the preview, so the test sees it before the answer.
  let preview: number[] = [];
  await b.route('**/api/pixels', async (route) => {
    await expect.poll(async () => (preview = await pixelRgb(b, 61, 60))).not.toEqual(before);
    await route.continue();
  });
  await selectColour(b, 13);
  await placePixel(b, 61, 60); // b's timer said Ready: the server answers 429
  await expect(b.locator('#toast')).toContainText('Not yet');
  await expect(b.locator('#cooldown')).not.toHaveText('Ready');
  await expect.poll(() => pixelRgb(b, 61, 60)).toEqual(before);
  expect(preview).toEqual([0x00, 0x00, 0xea]); // colour 13, shown while the request was out
  expect((await new ApiClient(service.url).request('GET', '/api/pixels/61/60')).status).toBe(404);
  await b.reload();
  await expect(b.locator('#status')).toHaveAttribute('data-status', 'live');
  expect(await userId(b)).toBe(await userId(a));
  await expect(b.locator('#cooldown')).not.toHaveText('Ready');
  await b.screenshot({ path: info.outputPath('rejected-preview.png') });
  // The 429 itself is logged by Chromium as a failed resource load; nothing else may be.
  expect(errors.filter((e) => !e.includes('status of 429'))).toEqual([]);
  await context.close();
});

test('reconnect: the socket server restarts; pages show reconnecting, then converge without a reload', async ({ browser }, info) => {
  const { contexts, pages } = await newPages(browser, 2);
  // A marker that a reload would lose, and a log of every status the page shows.
  await Promise.all(pages.map((p) => p.evaluate(() => {
    const w = window as unknown as { marker: number; statuses: string[] };
    w.marker = 42;
    w.statuses = [];
    const el = document.getElementById('status')!;
    new MutationObserver(() => w.statuses.push(el.dataset.status!)).observe(el, { attributes: true, attributeFilter: ['data-status'] });
  })));
  const writer = await new ApiClient(service.url).startSession();
  await service.restart();
  for (const page of pages) {
    await expect(page.locator('#status')).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses)).toEqual(['reconnecting', 'live']);
  }
  expect((await writer.place(5, 5, 9)).status).toBe(201);
  for (const page of pages) {
    await canvasMatchesPng(page);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  }
  await pages[0]!.screenshot({ path: info.outputPath('after-reconnect.png') });
  await Promise.all(contexts.map((c) => c.close()));
});

test('mobile: pan and pinch-zoom by touch, then tap a pixel and Place', async ({ browser }, info) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = await openBoard(page, service.url, '100,75,2');
  const cdp = await context.newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: { x: number; y: number }[]) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map((p, id) => ({ ...p, id })) });
  const hash = async () => (await page.evaluate(() => location.hash)).slice(1).split(',').map(Number);

  // One finger drags right: the view moves left on the board.
  await touch('touchStart', [{ x: 200, y: 400 }]);
  for (let i = 1; i <= 5; i++) await touch('touchMove', [{ x: 200 + i * 20, y: 400 }]);
  await touch('touchEnd', []);
  await expect.poll(async () => (await hash())[0]).toBeLessThan(100);
  const [, , zoomBefore] = await hash();
  // Two fingers spread apart: zoom in.
  await touch('touchStart', [{ x: 150, y: 400 }, { x: 240, y: 400 }]);
  for (let i = 1; i <= 5; i++) await touch('touchMove', [{ x: 150 - i * 15, y: 400 }, { x: 240 + i * 15, y: 400 }]);
  await touch('touchEnd', []);
  await expect.poll(async () => (await hash())[2]).toBeGreaterThan(zoomBefore! * 1.5);

  // Tap the pixel at the centre of the view, wherever panning and zooming left it, then Place.
  const [cx, cy] = (await hash()).map(Math.floor) as [number, number];
  await selectColour(page, 13);
  const target = await screenPoint(page, cx, cy);
  await page.touchscreen.tap(target.x, target.y);
  await expect(page.locator('#info-coords')).toHaveText(`${cx}, ${cy}`);
  await expect(page.locator('#cooldown')).toHaveText('Ready'); // a tap only selects
  await page.locator('#place').tap();
  await expect(page.locator('#cooldown')).not.toHaveText('Ready');
  const placed = await new ApiClient(service.url).request('GET', `/api/pixels/${cx}/${cy}`);
  expect(placed.body.color).toBe(13);
  await page.screenshot({ path: info.outputPath('mobile.png') });
  expect(errors).toEqual([]);
  await context.close();
});
