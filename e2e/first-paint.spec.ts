// First paint, as behaviour (how fast is bench/first-paint.ts's job): a placeholder at once, the
// board as soon as it arrives, equal to the server's; on a return visit the board last seen,
// shown before the network answers, then replaced by the live one. Files come compressed and
// are revalidated, not downloaded again.
import { test, expect, type Route } from '@playwright/test';
import { ApiClient } from '../test-support/api-client.ts';
import { startE2eService, type E2eService } from './service.ts';
import { boardPng, canvasMatchesServer, canvasRgb } from './page-helpers.ts';

test.describe.configure({ mode: 'serial' });

let service: E2eService;
test.beforeAll(async () => { service = await startE2eService({ COOLDOWN_MS: '0' }); });
test.afterAll(async () => service?.stop());

/** Holds every GET /api/board until released. */
function holdBoard(): { handler: (route: Route) => Promise<void>; release: () => void; held: () => number } {
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  let held = 0;
  return {
    handler: async (route) => {
      held++;
      await released;
      await route.continue();
    },
    release,
    held: () => held,
  };
}

test('first visit: a placeholder at once, then the board, equal to the server\'s', async ({ browser }, info) => {
  const writer = await new ApiClient(service.url).startSession();
  for (let i = 0; i < 20; i++) await writer.place(10 + i * 5, 20 + i * 3, (i % 15) + 1);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const hold = holdBoard();
  await page.route('**/api/board', hold.handler);
  await page.goto(`${service.url}/`);
  await expect.poll(hold.held).toBeGreaterThan(0);
  await expect(page.locator('#placeholder')).toBeVisible();
  await expect(page.locator('#board')).toBeHidden();
  await expect(page.locator('#viewport')).toHaveAttribute('data-board', 'loading');
  await page.screenshot({ path: info.outputPath('placeholder.png') });
  hold.release();
  await expect(page.locator('#viewport')).toHaveAttribute('data-board', 'live');
  await expect(page.locator('#placeholder')).toBeHidden();
  await canvasMatchesServer(page, service.url);
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'live');
  // The board was fetched once, by the preload in index.html, and main.ts used that response.
  const boardFetches = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === '/api/board').length);
  expect(boardFetches).toBe(1);
  await context.close();
});

test('return visit: the board last seen shows before the network answers, then the live board replaces it', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  const page = await context.newPage();
  await page.goto(`${service.url}/`);
  await expect(page.locator('#viewport')).toHaveAttribute('data-board', 'live');
  await canvasMatchesServer(page, service.url);
  const seen = await boardPng(service.url);
  const { seq } = await new ApiClient(service.url).board();
  const cachedSeq = () => page.evaluate(() => new Promise<number>((resolve) => {
    const open = indexedDB.open('place');
    open.onerror = () => resolve(-1);
    open.onsuccess = () => {
      const get = open.result.transaction('boards').objectStore('boards').get('last');
      get.onsuccess = () => resolve((get.result as { seq?: number } | undefined)?.seq ?? -1);
      get.onerror = () => resolve(-1);
    };
  }));
  await expect.poll(cachedSeq).toBe(seq);
  await page.goto('about:blank');

  const writer = await new ApiClient(service.url).startSession();
  for (let i = 0; i < 10; i++) expect((await writer.place(150 + i, 100, 13)).status).toBe(201);
  const hold = holdBoard();
  await page.route('**/api/board', hold.handler);
  await page.goto(`${service.url}/`);
  await expect(page.locator('#viewport')).toHaveAttribute('data-board', 'cached');
  await expect(page.locator('#board')).toBeVisible();
  expect((await canvasRgb(page)).equals(seen)).toBe(true);
  expect(await page.locator('#status').getAttribute('data-status')).not.toBe('live');
  hold.release();
  await expect(page.locator('#viewport')).toHaveAttribute('data-board', 'live');
  await canvasMatchesServer(page, service.url);
  expect((await canvasRgb(page)).equals(seen)).toBe(false);
  await context.close();
});

test('the page\'s files come compressed, the script and stylesheet cached for good, index.html revalidated', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const encodings = new Map<string, { encoding: string | undefined; cacheControl: string | undefined; etag: string | undefined }>();
  page.on('response', async (r) => {
    const path = new URL(r.url()).pathname;
    if (path === '/' || /^\/app\.\w+\.(js|css)$/.test(path)) {
      const h = await r.allHeaders();
      encodings.set(path.endsWith('.js') ? 'js' : path.endsWith('.css') ? 'css' : 'html', { encoding: h['content-encoding'], cacheControl: h['cache-control'], etag: h.etag });
    }
  });
  await page.goto(`${service.url}/`);
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'live');
  for (const kind of ['html', 'js', 'css']) expect(encodings.get(kind)?.encoding).toBe('br');
  expect(encodings.get('js')?.cacheControl).toBe('public, max-age=31536000, immutable');
  expect(encodings.get('html')?.cacheControl).toBe('no-cache');

  // A second visit: the script and stylesheet come from the browser's cache; index.html is asked
  // for again with its ETag (which the server answers with a 304: local/static-web.test.ts).
  const revalidated = page.waitForRequest((r) => new URL(r.url()).pathname === '/');
  await page.goto(`${service.url}/`);
  expect(encodings.get('html')?.etag).toMatch(/^".+"$/);
  expect(await (await revalidated).headerValue('if-none-match')).toBe(encodings.get('html')?.etag);
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'live');
  const fromCache = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => /\/app\.\w+\.(js|css)$/.test(e.name)).map((e) => (e as PerformanceResourceTiming).transferSize));
  expect(fromCache).toEqual([0, 0]);
  await context.close();
});
