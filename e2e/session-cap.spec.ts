// Past the caps of one network: a visitor who cannot get a session still sees the board, live;
// a placement refused by the per-address cap never shows a personal cooldown.
import { test, expect } from '@playwright/test';
import { addressWindow } from '../core/domain/cooldown.ts';
import { postSession } from '../test-support/pow-solver.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { startE2eService, type E2eService } from './service.ts';
import { canvasMatchesServer, openBoard, placePixel, selectColour } from './page-helpers.ts';

test.describe.configure({ mode: 'serial' });

let service: E2eService;
let writer: ApiClient;
test.beforeAll(async () => {
  // Two sessions an hour and one pixel per 15 s from this address (all tests come from 127.0.0.1).
  service = await startE2eService({ SESSIONS_PER_IP_PER_HOUR: '2', PLACEMENTS_PER_IP: '1', COOLDOWN_MS: '15000' });
  writer = await new ApiClient(service.url).startSession(); // session 1 of 2
});
test.afterAll(async () => service?.stop());

test('a placement refused by the address\'s cap says so and starts no personal cooldown', async ({ browser }) => {
  // The address's placements are counted per 15 s clock window (addressWindow): both placements
  // must fall in one, so start early in one.
  const { endsAt } = addressWindow(Date.now(), 15_000);
  if (endsAt - Date.now() < 12_000) await new Promise((r) => setTimeout(r, endsAt - Date.now() + 50));
  expect((await writer.place(1, 1, 5)).status).toBe(201); // the address's one pixel
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  const page = await context.newPage();
  const errors = await openBoard(page, service.url);
  await selectColour(page, 6);
  await placePixel(page, 100, 70); // session 2 of 2 is started, then the address cap says no
  await expect(page.locator('#toast')).toContainText(/network|address/i);
  await expect(page.locator('#cooldown')).toHaveText('Ready');
  expect((await new ApiClient(service.url).request('GET', '/api/pixels/100/70')).status).toBe(404);
  expect(errors.filter((e) => !e.includes('status of 429'))).toEqual([]);
  await context.close();
});

test('past the session cap the board still shows and updates live; placing says why it cannot', async ({ browser }, info) => {
  const refused = await postSession(service.url);
  expect(refused.status).toBe(429); // the cap is used up
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = await openBoard(page, service.url, null);
  await expect(page.locator('#viewport')).toHaveAttribute('data-board', 'live');
  await canvasMatchesServer(page, service.url);

  // Another placer's pixel (once the address may place again) shows up without a reload.
  await expect.poll(async () => (await writer.place(2, 2, 12)).status, { timeout: 30_000, intervals: [2000] }).toBe(201);
  await canvasMatchesServer(page, service.url);

  await selectColour(page, 6);
  // Place is marked unavailable (aria-disabled) but can be pressed: it says what is missing.
  await page.locator('#place').tap({ force: true });
  await expect(page.locator('#toast')).toContainText('Select a pixel first');
  const box = (await page.locator('#viewport').boundingBox())!;
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.locator('#info')).toBeVisible();
  await page.locator('#place').tap();
  await expect(page.locator('#toast')).toContainText('cannot place pixels right now');
  await expect(page.locator('#toast')).toContainText('keep watching');
  await expect(page.locator('#cooldown')).toHaveText('Ready');
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'live');
  await page.screenshot({ path: info.outputPath('past-session-cap.png') });
  expect(errors.filter((e) => !e.includes('status of 429'))).toEqual([]);
  await context.close();
});
