// Templates and history on the page, in Debian's Chromium: the template overlay (opacity and
// dots), its progress bar and wrong-pixel list, the grief alert, and the history slider.
import { test, expect, type Page } from '@playwright/test';
import sharp from 'sharp';
import { ApiClient } from '../test-support/api-client.ts';
import { startE2eService, type E2eService } from './service.ts';
import { clickPixel, openBoard, selectColour } from './page-helpers.ts';

test.describe.configure({ mode: 'serial' });

let service: E2eService;
test.beforeAll(async () => { service = await startE2eService({ COOLDOWN_MS: '0', SNAPSHOT_INTERVAL_MS: '1000', TEMPLATE_TICK_MS: '50' }); });
test.afterAll(async () => service?.stop());

/** A 4×3 template of red (colour 5) with the top-right pixel transparent: 11 pixels. */
async function createTemplate(api: ApiClient, x: number, y: number): Promise<string> {
  const rgba = Buffer.alloc(4 * 3 * 4);
  for (let i = 0; i < 12; i++) if (i !== 3) rgba.set([0xe5, 0, 0, 255], i * 4);
  const image = (await sharp(rgba, { raw: { width: 4, height: 3, channels: 4 } }).png().toBuffer()).toString('base64');
  const res = await api.request<{ id: string }>('POST', '/api/templates', { body: JSON.stringify({ name: 'Red block', x, y, image }), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** The RGB of one pixel of an element's rendering (an <img> or <canvas>), read through a canvas. */
async function imagePixel(page: Page, selector: string, x: number, y: number): Promise<number[]> {
  return page.evaluate(async ([sel, px, py]) => {
    const img = document.querySelector(sel as string) as HTMLImageElement;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return Array.from(ctx.getImageData(px as number, py as number, 1, 1).data);
  }, [selector, x, y] as const);
}

test('a template opened by link shows as an overlay (opacity, dots), with progress, wrong pixels to jump to, and a grief alert', async ({ page }, info) => {
  const api = await new ApiClient(service.url).startSession();
  const id = await createTemplate(api, 40, 30);
  await api.place(40, 30, 5);
  const errors = await openBoard(page, service.url, `template=${id}`);
  // #template= became ?template=, and the hash is the view's again.
  await expect.poll(() => new URL(page.url()).searchParams.get('template')).toBe(id);
  const overlay = page.locator('#tpl-overlay');
  await expect(overlay).toBeVisible();
  const box = (await overlay.boundingBox())!;
  const board = (await page.locator('#board').boundingBox())!;
  // Placed at (40, 30) on a 200×150 board, 4×3 board pixels in size.
  expect(box.x - board.x).toBeCloseTo((40 / 200) * board.width, 0);
  expect(box.width).toBeCloseTo((4 / 200) * board.width, 0);
  await expect(page.locator('#tpl-counts')).toHaveText('1 / 11 (9 %)');
  await expect(page.locator('#tpl-wrong li')).toHaveCount(10);

  await page.locator('#tpl-opacity').fill('25');
  await expect(overlay).toHaveCSS('opacity', '0.25');
  await page.locator('#tpl-style').selectOption('dots');
  await expect(overlay).toBeHidden();
  await expect(page.locator('#tpl-dots')).toBeVisible();
  expect(await page.locator('#tpl-dots').evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([12, 9]);
  await page.screenshot({ path: info.outputPath('template-dots.png') });
  await page.locator('#tpl-style').selectOption('overlay');

  // Progress follows placements made elsewhere; the list shrinks.
  await api.place(41, 30, 5);
  await api.place(42, 30, 5);
  await expect(page.locator('#tpl-counts')).toHaveText('3 / 11 (27 %)', { timeout: 15_000 });
  await expect(page.locator('#tpl-wrong li')).toHaveCount(8);
  // A wrong pixel's button moves the view to it.
  await page.locator('#tpl-wrong li button').first().click();
  await expect.poll(() => new URL(page.url()).hash).toBe('#40.5,31.5,16');

  // The grief alert: turning a right pixel wrong tells the page.
  await page.locator('#tpl-alert').check();
  await page.waitForTimeout(300); // the watch message reaches the server
  await api.place(41, 30, 3);
  await expect(page.locator('#toast')).toContainText('is being griefed: 1 pixel turned wrong, at (41, 30)', { timeout: 15_000 });
  await expect(page.locator('#tpl-griefed')).toHaveText('1 pixel griefed in the last hour', { timeout: 15_000 });
  await page.screenshot({ path: info.outputPath('template-griefed.png') });
  expect(errors).toEqual([]);
});

test('the history slider shows the board at a past moment; Live returns; heatmap and my pixels draw over the board', async ({ page }, info) => {
  const api = await new ApiClient(service.url).startSession();
  await api.place(100, 100, 13);
  await new Promise((r) => setTimeout(r, 1500)); // a snapshot is taken every second
  const then = Date.now();
  await new Promise((r) => setTimeout(r, 1100));
  await api.place(100, 100, 5); // after the moment
  await api.place(101, 100, 10);
  const errors = await openBoard(page, service.url, '100,100,4');
  await page.locator('#community-fold').click(); // the panel starts folded

  // The slider moves in whole seconds.
  await page.locator('#history-slider').evaluate((el: HTMLInputElement, at) => {
    el.value = String(at);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, Math.floor(then / 1000) * 1000);
  const layer = page.locator('#history-layer');
  await expect(layer).toBeVisible();
  await expect(layer).toHaveAttribute('src', `/api/board.png?at=${Math.floor(then / 1000) * 1000}`);
  await expect(page.locator('#history-when')).not.toHaveText('Live');
  // The past: (100, 100) was blue, (101, 100) unplaced (white); the live board says red and green.
  expect((await imagePixel(page, '#history-layer', 100, 100)).slice(0, 3)).toEqual([0, 0, 0xea]);
  expect((await imagePixel(page, '#history-layer', 101, 100)).slice(0, 3)).toEqual([255, 255, 255]);
  await page.screenshot({ path: info.outputPath('history-past.png') });
  await page.locator('#history-live').click();
  await expect(layer).toBeHidden();
  await expect(page.locator('#history-when')).toHaveText('Live');

  await page.locator('#heatmap-toggle').check();
  await expect(page.locator('#heatmap-layer')).toBeVisible();
  expect((await imagePixel(page, '#heatmap-layer', 100, 100))[3]).toBe(255); // placed on this hour
  expect((await imagePixel(page, '#heatmap-layer', 5, 5))[3]).toBe(0);
  await page.locator('#heatmap-toggle').uncheck();

  // My pixels: what this page placed (select, pick a colour, Place), outlined.
  await clickPixel(page, 120, 110);
  await selectColour(page, 9);
  await page.locator('#place').click();
  await expect.poll(async () => (await api.request('GET', '/api/pixels/120/110')).body.color).toBe(9);
  await page.locator('#mine-toggle').check();
  const outlined = await page.locator('#mine-layer').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(120 * 4 - 1, 110 * 4 - 1, 6, 6).data;
    return Array.from(d).some((v, i) => i % 4 === 3 && v > 0);
  });
  expect(outlined).toBe(true);
  await page.screenshot({ path: info.outputPath('history-heatmap-mine.png') });
  expect(errors).toEqual([]);
});
