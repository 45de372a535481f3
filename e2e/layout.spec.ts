// The layout on a phone and on a desktop, on a full-size (1000×1000) board: the whole board fits
// a phone, landscape leaves the board most of the height, nothing covers it, every control can
// be reached; zoomed in there is a pixel grid and an overview; a pixel's link leads back to it.
import { test, expect, type Page } from '@playwright/test';
import { ApiClient } from '../test-support/api-client.ts';
import { startE2eService, type E2eService } from './service.ts';
import { clickPixel, openBoard } from './page-helpers.ts';

test.describe.configure({ mode: 'serial' });

let service: E2eService;
test.beforeAll(async () => {
  service = await startE2eService({ BOARD_WIDTH: '1000', BOARD_HEIGHT: '1000', COOLDOWN_MS: '0' });
  // Something to look at: a few blocks of colour.
  const writer = await new ApiClient(service.url).startSession();
  for (let i = 0; i < 60; i++) await writer.place(100 + (i % 10) * 80, 120 + Math.floor(i / 10) * 140, (i % 15) + 1);
});
test.afterAll(async () => service?.stop());

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const landscape = { viewport: { width: 844, height: 390 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

interface Box { left: number; top: number; right: number; bottom: number }
async function boxes(page: Page): Promise<{ board: Box; viewport: Box; top: Box; bottom: Box; window: Box }> {
  return page.evaluate(() => {
    const box = (sel: string) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    return { board: box('#board'), viewport: box('#viewport'), top: box('header'), bottom: box('footer'), window: { left: 0, top: 0, right: innerWidth, bottom: innerHeight } };
  });
}

const inside = (a: Box, b: Box) => a.left >= b.left - 0.5 && a.top >= b.top - 0.5 && a.right <= b.right + 0.5 && a.bottom <= b.bottom + 0.5;
const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

test('phone 390×844: the whole board is visible at the opening (fit) zoom, nothing covers it, Notify me is there', async ({ browser }, info) => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  const errors = await openBoard(page, service.url, null);
  await expect(page.locator('#board')).toBeVisible();
  const b = await boxes(page);
  expect(inside(b.board, b.viewport)).toBe(true);
  expect(inside(b.viewport, b.window)).toBe(true);
  expect(overlaps(b.viewport, b.top) || overlaps(b.viewport, b.bottom)).toBe(false);
  expect(b.board.right - b.board.left).toBeGreaterThan(0.9 * 390 * 0.95); // fits the width, not a postage stamp
  await expect(page.locator('#notify')).toBeInViewport();
  await expect(page.locator('#place')).toBeInViewport();
  for (const c of [0, 15]) await expect(page.locator(`#palette [data-color="${c}"]`)).toBeInViewport();
  await page.screenshot({ path: info.outputPath('phone.png') });

  await page.touchscreen.tap(195, (b.viewport.top + b.viewport.bottom) / 2); // select: zooms in
  await expect(page.locator('#info')).toBeVisible();
  await expect(page.locator('#minimap')).toBeVisible();
  await page.screenshot({ path: info.outputPath('phone-selected.png') });
  expect(errors).toEqual([]);
  await context.close();
});

test('phone 844×390 on its side: the board keeps at least 60% of the height and fits', async ({ browser }, info) => {
  const context = await browser.newContext(landscape);
  const page = await context.newPage();
  const errors = await openBoard(page, service.url, null);
  const b = await boxes(page);
  expect(b.viewport.bottom - b.viewport.top).toBeGreaterThanOrEqual(0.6 * 390);
  expect(inside(b.board, b.viewport)).toBe(true);
  expect(overlaps(b.viewport, b.top) || overlaps(b.viewport, b.bottom)).toBe(false);
  await expect(page.locator('#notify')).toBeInViewport();
  await expect(page.locator('#place')).toBeInViewport();
  await page.screenshot({ path: info.outputPath('phone-landscape.png') });
  expect(errors).toEqual([]);
  await context.close();
});

test('desktop: a grid between pixels and an overview inset when zoomed in; the dark swatch is outlined; copy link leads back to the pixel', async ({ browser }, info) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const errors = await openBoard(page, service.url, null);
  await page.screenshot({ path: info.outputPath('desktop.png') });
  await expect(page.locator('#minimap')).toBeHidden();
  const overlayInk = () => page.evaluate(() => {
    const c = document.getElementById('overlay') as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n / (c.width * c.height);
  });
  expect(await overlayInk()).toBe(0); // no grid at the fit zoom

  await clickPixel(page, 100, 120); // zooms in on it
  await expect(page.locator('#minimap')).toBeVisible();
  await expect.poll(overlayInk).toBeGreaterThan(0.05); // grid lines all over
  await expect(page.locator('#info')).toContainText(/by .+, (just now|\d+ s ago|\d+ min ago)/);
  await page.screenshot({ path: info.outputPath('desktop-zoomed.png') });

  // The black swatch's outline stands out from the bar (at least 3:1, as WCAG asks of controls).
  const contrast = await page.evaluate(() => {
    const rgb = (s: string) => (s.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: number[]) => c.map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    const border = lum(rgb(getComputedStyle(document.querySelector('#palette [data-color="3"]')!).borderTopColor));
    const bar = lum(rgb(getComputedStyle(document.querySelector('footer')!).backgroundColor));
    return (Math.max(border, bar) + 0.05) / (Math.min(border, bar) + 0.05);
  });
  expect(contrast).toBeGreaterThanOrEqual(3);

  await page.locator('#copy-link').click();
  await expect(page.locator('#toast')).toHaveText('Link copied.');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#100\.5,120\.5,\d+(\.\d+)?$/);
  const other = await context.newPage();
  await openBoard(other, link.split('#')[0]!.replace(/\/$/, ''), link.split('#')[1]!);
  await expect(other.locator('#info-coords')).toHaveText('100, 120');
  await page.locator('#info-close').click();
  await expect(page.locator('#info')).toBeHidden();
  expect(errors).toEqual([]);
  await context.close();
});
