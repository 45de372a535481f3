// The moderation page (/admin) in a real browser against the local runner: an admin granted by
// `npm run admin -- grant` drags a rectangle over a vandal's pixels, previews the rollback, applies
// and undoes it, protects the area, bans the vandal from the pixel box, pauses the board (a
// viewer's page shows it at once) and changes the cooldown, resolves a viewer's report, and reads
// every change in the audit log.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect, type Page } from '@playwright/test';
import { ApiClient } from '../test-support/api-client.ts';
import { tempDir } from '../test-support/test-services.ts';
import { startE2eService, type E2eService } from './service.ts';
import { canvasMatchesServer, clickPixel, openBoard } from './page-helpers.ts';

test.describe.configure({ mode: 'serial' });

const SIZE = { width: 200, height: 150 };
const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = tempDir('e2e-admin');
let service: E2eService;
test.beforeAll(async () => { service = await startE2eService({ DATA_DIR: dataDir, COOLDOWN_MS: '0' }); });
test.afterAll(async () => service?.stop());

/** A pixel's colour now (GET /api/pixels/{x}/{y}: the board itself may come from a published copy a moment old). */
const colourAt = async (x: number, y: number) => {
  const res = await new ApiClient(service.url).request<{ color: number }>('GET', `/api/pixels/${x}/${y}`);
  return res.status === 404 ? 0 : res.body.color;
};

/** Drags a rectangle on the admin page's board, from pixel (x0, y0) to (x1, y1). */
async function dragArea(page: Page, x0: number, y0: number, x1: number, y1: number): Promise<void> {
  const box = (await page.locator('#admin-board').boundingBox())!;
  const scale = box.width / SIZE.width;
  const at = (x: number, y: number) => ({ x: box.x + (x + 0.5) * scale, y: box.y + (y + 0.5) * scale });
  await page.mouse.move(at(x0, y0).x, at(x0, y0).y);
  await page.mouse.down();
  await page.mouse.move(at(x1, y1).x, at(x1, y1).y, { steps: 5 });
  await page.mouse.up();
}

test('an admin rolls back a vandal, undoes it, protects the area, bans the vandal, pauses the board and works the reports queue', async ({ browser }) => {
  // Before the vandal: someone's pixel at (11, 11). Then the vandal's 40 pixels over 10..19 × 10..13, then a victim over one of them.
  const earlier = await new ApiClient(service.url).startSession();
  expect((await earlier.place(11, 11, 3)).status).toBe(201);
  const vandal = await new ApiClient(service.url).startSession();
  for (let y = 10; y <= 13; y++) for (let x = 10; x <= 19; x++) expect((await vandal.place(x, y, 5)).status).toBe(201);
  const victim = await new ApiClient(service.url).startSession();
  expect((await victim.place(15, 12, 9)).status).toBe(201);

  const viewer = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  expect(await openBoard(viewer, service.url, '15,12,4')).toEqual([]);

  // Signing in: no role yet, then granted by the command, then the console.
  const admin = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await admin.goto(`${service.url}/admin`);
  await expect(admin.locator('#who')).toContainText('holds no moderator role');
  const adminId = (await admin.locator('#who').getAttribute('data-user-id'))!;
  await promisify(execFile)('npx', ['tsx', 'bin/admin.ts', 'grant', adminId, 'admin', 'runs', 'the', 'event'], {
    cwd: REPO_ROOT, env: { ...process.env, DATA_DIR: dataDir, SESSION_SECRET: 'e2e-secret', BOARD_WIDTH: '200', BOARD_HEIGHT: '150' },
  });
  await expect.poll(async () => {
    await admin.locator('#recheck').click();
    return admin.locator('#console').isVisible();
  }, { timeout: 15_000 }).toBe(true);
  await expect(admin.locator('#who')).toHaveText(`${adminId} (admin)`);
  const status = admin.locator('#admin-status');

  // Drag the area: the placements and who made them.
  await admin.locator('#reason').fill('vandalism over the logo');
  await dragArea(admin, 10, 10, 19, 13);
  await expect(status).toHaveText('42 placements in the area');
  await expect(admin.locator('#placements table').first()).toContainText(`${vandal.userId!}40`);

  // Preview, apply, undo (the vandal's only).
  await admin.locator('#user-filter').fill(vandal.userId!);
  await admin.locator('#preview-rollback').click();
  await expect(status).toHaveText('The rollback would change 39 pixels');
  await expect(admin.locator('#preview')).toBeVisible();
  expect(await colourAt(12, 12)).toBe(5); // a dry run changes nothing
  await admin.locator('#apply-rollback').click();
  await expect(status).toContainText('Rolled back 39 pixels');
  expect([await colourAt(11, 11), await colourAt(12, 12), await colourAt(15, 12)]).toEqual([3, 0, 9]);
  await canvasMatchesServer(viewer, service.url);
  await admin.locator('#undo-rollback').click();
  await expect(status).toHaveText('Undone: 39 pixels put back');
  expect([await colourAt(11, 11), await colourAt(12, 12), await colourAt(15, 12)]).toEqual([5, 5, 9]);
  await canvasMatchesServer(viewer, service.url);

  // Protect the area: ordinary writes inside are refused.
  await admin.locator('#area-name').fill('logo');
  await admin.locator('#protect').click();
  await expect(admin.locator('#areas')).toContainText('logo10,10–19,13vandalism over the logo');
  expect((await victim.place(16, 12, 2)).body.error).toBe('protected');

  // Ban the vandal from the pixel box.
  await dragArea(admin, 12, 12, 12, 12); // a click: no drag
  await expect(admin.locator('#pixel-text')).toContainText(`placed by ${adminId}`); // the undo's placement is the admin's
  const box = (await admin.locator('#admin-board').boundingBox())!;
  const scale = box.width / SIZE.width;
  expect((await vandal.place(40, 40, 5)).status).toBe(201); // a pixel of the vandal's own outside the area
  await admin.mouse.click(box.x + 40.5 * scale, box.y + 40.5 * scale);
  await expect(admin.locator('#pixel-text')).toContainText(`placed by ${vandal.userId!}`);
  await admin.locator('#ban-pixel-user').click();
  await expect(status).toHaveText(`${vandal.userId!} is banned`);
  expect((await vandal.place(41, 40, 5)).body.error).toBe('banned');

  // Pause with a message and a new cooldown: the viewer's page says so at once, and writes wait.
  await admin.locator('#board-state').selectOption('paused');
  await admin.locator('#board-message').fill('Back at noon');
  await admin.locator('#cooldown-s').fill('7');
  await admin.locator('#set-board').click();
  await expect(viewer.locator('#board-status')).toHaveText('The board is paused. Back at noon');
  expect((await victim.place(60, 60, 1)).status).toBe(423);
  expect((await new ApiClient(service.url).request('GET', '/api/config')).body).toMatchObject({ state: 'paused', message: 'Back at noon', cooldownMs: 7000 });
  await admin.locator('#board-state').selectOption('live');
  await admin.locator('#board-message').fill('');
  await admin.locator('#set-board').click();
  await expect(viewer.locator('#board-status')).toBeHidden();
  const placed = await (await new ApiClient(service.url).startSession()).place(60, 60, 1);
  expect(placed.body.nextAllowedAt).toBe((placed.body.placedAt as number) + 7000);

  // The viewer reports a pixel; the admin resolves it.
  await clickPixel(viewer, 40, 40);
  await viewer.locator('#info-report .report-open').click();
  await viewer.locator('#info-report input[name=reason]').fill('offensive drawing');
  await viewer.locator('#info-report button[type=submit]').click();
  await expect(viewer.locator('#info-report')).toHaveText('Reported. Thank you.');
  await admin.locator('#refresh-audit').click();
  await expect(admin.locator('#reports')).toContainText('40, 40');
  await admin.locator('#reports [data-testid^="resolve-"]').click();
  await expect(admin.locator('#reports tbody tr')).toHaveCount(0);

  // Every change is in the audit log, newest first, with who and why.
  // (The audit table reloads after the resolve answers: wait for it.)
  await expect.poll(async () => (await admin.locator('#audit tbody tr td:nth-child(3)').allTextContents()).slice(0, 8))
    .toEqual(['report.resolve', 'board.state', 'board.state', 'user.ban', 'area.protect', 'rollback.undo', 'rollback', 'role.grant']);
  await expect(admin.locator('#audit tbody tr').first()).toContainText(adminId);
});
