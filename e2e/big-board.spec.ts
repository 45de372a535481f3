// A 3000×2000 board (r/place 2023's final size) in a real browser, on the runner with a real
// Redis: the page loads it through the published copy, shows a pixel at the far corner, and when
// the operator grows the board live (`npm run board -- resize`) the open page grows with it,
// keeps its pixels, and places in the new area, without a reload; so does the admin page's board.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test, expect, type Page } from '@playwright/test';
import { ApiClient } from '../test-support/api-client.ts';
import { startTestRedis, tempDir } from '../test-support/test-services.ts';
import type { RedisProcess } from '../local/processes/redis-process.ts';
import { PALETTE_RGB } from '../core/domain/palette.ts';
import { startE2eService, type E2eService } from './service.ts';
import { openBoard, placePixel, selectColour } from './page-helpers.ts';

const execFileAsync = promisify(execFile);
test.describe.configure({ mode: 'serial' });

let redis: RedisProcess;
let service: E2eService;
let env: Record<string, string>;

test.beforeAll(async () => {
  redis = await startTestRedis();
  env = { REDIS_URL: redis.url, DATA_DIR: tempDir('e2e-big'), BOARD_WIDTH: '3000', BOARD_HEIGHT: '2000', COOLDOWN_MS: '0', BOARD_PUBLISH_MS: '1000', BOARD_PNG_PUBLISH_MS: '1000' };
  service = await startE2eService(env);
});
test.afterAll(async () => {
  await service?.stop();
  await redis?.stop();
});

/** The canvas's colour at board pixel (x, y), as RGB. */
const canvasAt = (page: Page, x: number, y: number, id = 'board') => page.evaluate(([bx, by, cid]) => {
  const canvas = document.getElementById(cid as string) as HTMLCanvasElement;
  return [...canvas.getContext('2d')!.getImageData(bx as number, by as number, 1, 1).data.subarray(0, 3)];
}, [x, y, id] as const);
const rgb = (color: number) => [...PALETTE_RGB.subarray(color * 3, color * 3 + 3)];
const canvasSize = (page: Page, id = 'board') => page.evaluate((cid) => {
  const canvas = document.getElementById(cid) as HTMLCanvasElement;
  return [canvas.width, canvas.height];
}, id);

test('the page shows a 3000×2000 board from its published copy and grows live with it, pixels kept, as does the admin page', async ({ page }) => {
  const api = await new ApiClient(service.url).startSession();
  expect((await api.place(2999, 1999, 5)).status).toBe(201);
  expect((await api.place(0, 0, 9)).status).toBe(201);
  // The runner publishes the board within a second; the page then loads that copy.
  await expect.poll(async () => (await fetch(`${service.url}/api/board`, { redirect: 'manual' })).status, { timeout: 10_000 }).toBe(302);

  const boardResponses: { url: string; bytes: number }[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/boards/')) void r.body().then((b) => boardResponses.push({ url: r.url(), bytes: b.length }), () => {});
  });
  const errors = await openBoard(page, service.url, '2990,1990,8');
  expect(await canvasSize(page)).toEqual([3000, 2000]);
  await expect.poll(() => canvasAt(page, 2999, 1999)).toEqual(rgb(5));
  expect(await canvasAt(page, 0, 0)).toEqual(rgb(9));
  await expect.poll(() => boardResponses.length).toBeGreaterThan(0);
  expect(boardResponses[0]!.url).toMatch(/\/boards\/\d+\/\d+-3000x2000\.bin$/);

  // An admin's console is open too (granted by the command, as in admin.spec.ts).
  const admin = await (await page.context().browser()!.newContext()).newPage();
  await admin.goto(`${service.url}/admin`);
  await expect(admin.locator('#who')).toContainText('holds no moderator role');
  const adminId = (await admin.locator('#who').getAttribute('data-user-id'))!;
  await execFileAsync('npx', ['tsx', 'bin/admin.ts', 'grant', adminId, 'admin', 'runs', 'the', 'event'], { env: { ...process.env, ...env, SESSION_SECRET: 'e2e-secret' } });
  await expect.poll(async () => {
    await admin.locator('#recheck').click();
    return admin.locator('#console').isVisible();
  }, { timeout: 15_000 }).toBe(true);
  await expect.poll(() => canvasSize(admin, 'admin-board')).toEqual([3000, 2000]);

  // The operator grows the board while both are open.
  const { stdout } = await execFileAsync('npx', ['tsx', 'bin/board.ts', 'resize', '3200', '2100'], { env: { ...process.env, ...env } });
  expect(stdout).toContain('to 3200×2100');
  await expect.poll(() => canvasSize(page), { timeout: 15_000 }).toEqual([3200, 2100]);
  expect(await canvasAt(page, 2999, 1999)).toEqual(rgb(5));
  expect(await canvasAt(page, 0, 0)).toEqual(rgb(9));
  // The admin page redraws every few seconds, at the new size with the pixels where they were.
  await expect.poll(() => canvasSize(admin, 'admin-board'), { timeout: 15_000 }).toEqual([3200, 2100]);
  expect(await canvasAt(admin, 2999, 1999, 'admin-board')).toEqual(rgb(5));
  expect(await canvasAt(admin, 0, 0, 'admin-board')).toEqual(rgb(9));

  // A person places in the new area; the server has it, and so does the page.
  await selectColour(page, 13);
  await placePixel(page, 3150, 2080);
  await expect.poll(async () => (await api.request('GET', '/api/pixels/3150/2080')).body.color, { timeout: 10_000 }).toBe(13);
  await expect.poll(() => canvasAt(page, 3150, 2080)).toEqual(rgb(13));
  expect(errors).toEqual([]);
  await admin.context().close();
});
