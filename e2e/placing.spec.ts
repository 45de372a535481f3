// Placing is deliberate: a click selects, Place (or Enter, or a second click) confirms; only the
// primary button acts. And all of it works from the keyboard, with a screen reader told what
// happened, and axe-core finds nothing serious on the page.
import { test, expect, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { ApiClient } from '../test-support/api-client.ts';
import { startE2eService, type E2eService } from './service.ts';
import { clickPixel, openBoard, screenPoint, selectColour, zoomOf } from './page-helpers.ts';

test.describe.configure({ mode: 'serial' });

let service: E2eService;
test.beforeAll(async () => { service = await startE2eService(); });
test.afterAll(async () => service?.stop());

const api = () => new ApiClient(service.url);
const seq = async () => (await api().board()).seq;

/** Counts the placements a page sends. */
function countPlacements(page: Page): () => number {
  let n = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/pixels') n++; });
  return () => n;
}

test('a click at the opening zoom only selects (and zooms in); right and middle clicks place nothing; select + Place places exactly one pixel', async ({ browser }, info) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = await openBoard(page, service.url, null); // the opening view: the whole board
  const placements = countPlacements(page);
  const seqBefore = await seq();
  expect(await zoomOf(page)).toBeLessThan(6);
  await selectColour(page, 5);

  const at = await screenPoint(page, 50, 60);
  await page.mouse.click(at.x, at.y);
  await expect(page.locator('#info-coords')).toHaveText('50, 60');
  await expect.poll(() => zoomOf(page)).toBeGreaterThanOrEqual(6); // zoomed in to show which pixel that was
  await page.waitForTimeout(600);
  expect(placements()).toBe(0);
  await page.screenshot({ path: info.outputPath('selected-pixel.png') });

  // On the selected pixel, well after selecting it: a primary click here would place. These must not.
  const selected = await screenPoint(page, 50, 60);
  await page.mouse.click(selected.x, selected.y, { button: 'right' });
  await page.mouse.click(selected.x, selected.y, { button: 'middle' });
  const other = await screenPoint(page, 53, 61);
  await page.mouse.click(other.x, other.y, { button: 'right' });
  await page.mouse.click(other.x, other.y, { button: 'middle' });
  await page.waitForTimeout(600);
  expect(placements()).toBe(0);
  await expect(page.locator('#info-coords')).toHaveText('50, 60'); // nor do they select
  expect((await api().request('GET', '/api/pixels/50/60')).status).toBe(404);
  expect(await seq()).toBe(seqBefore);

  await page.locator('#place').click();
  await expect(page.locator('#cooldown')).not.toHaveText('Ready');
  expect(placements()).toBe(1);
  expect((await api().request('GET', '/api/pixels/50/60')).body.color).toBe(5);
  expect(await seq()).toBe(seqBefore + 1);

  // Once the cooldown is over, a second (unhurried) click on the selected pixel places it too.
  await expect(page.locator('#cooldown')).toHaveText('Ready', { timeout: 10_000 });
  await selectColour(page, 9);
  await clickPixel(page, 52, 60);
  await page.waitForTimeout(500);
  const again = await screenPoint(page, 52, 60);
  await page.mouse.click(again.x, again.y);
  await expect(page.locator('#cooldown')).not.toHaveText('Ready');
  expect(placements()).toBe(2);
  expect((await api().request('GET', '/api/pixels/52/60')).body.color).toBe(9);
  expect(errors).toEqual([]);
  await context.close();
});

test('keyboard only: focus the board, move, pick a colour with a key, place; the live region says what happened', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = await openBoard(page, service.url, null);
  const announced = page.locator('#announcer');

  await page.keyboard.press('Tab');
  await expect(page.locator('#viewport')).toBeFocused();
  await page.keyboard.press('ArrowRight'); // the first arrow selects the pixel at the centre
  await expect(page.locator('#info-coords')).toHaveText('100, 75');
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowDown']) await page.keyboard.press(key);
  await expect(page.locator('#info-coords')).toHaveText('103, 77');
  await expect(announced).toContainText('103, 77: White');
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(page.locator('#info-coords')).toHaveText('93, 77');

  await page.keyboard.press('7');
  await expect(page.locator('#palette [data-color="6"]')).toHaveAttribute('aria-checked', 'true');
  await expect(announced).toContainText('Orange chosen');
  await page.keyboard.press('Shift+3'); // the colours past ten: Shift and a digit
  await expect(page.locator('#palette [data-color="12"]')).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('7');

  await page.keyboard.press('Enter');
  await expect(announced).toContainText('Placed Orange at 93, 77');
  expect((await api().request('GET', '/api/pixels/93/77')).body.color).toBe(6);
  await expect(page).toHaveTitle(/^\(0:0\d\) Pixel board$/);

  await page.keyboard.press('Escape');
  await expect(page.locator('#info')).toBeHidden();

  // The palette is one tab stop; arrows move within it and choose.
  await expect(page.locator('#palette [tabindex="0"]')).toHaveCount(1);
  await page.locator('#palette [data-color="6"]').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#palette [data-color="7"]')).toBeFocused();
  await expect(page.locator('#palette [data-color="7"]')).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('Tab');
  await expect(page.locator('#place')).toBeFocused();

  await expect(page.locator('#cooldown')).toHaveText('Ready', { timeout: 10_000 });
  await expect(announced).toContainText('Your next pixel is ready');
  expect(errors).toEqual([]);
  await context.close();
});

for (const [name, options] of [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
] as const) {
  test(`axe-core finds no serious or critical violations (${name}), with a pixel selected and a message shown`, async ({ browser }, info) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    await openBoard(page, service.url, null);
    const check = async (when: string) => {
      const result = await new AxeBuilder({ page }).analyze();
      const summary = result.violations.map((v) => `${v.impact}: ${v.id} (${v.nodes.length})`);
      await info.attach(`axe-${name}-${when}.json`, { body: JSON.stringify({ summary, passes: result.passes.length }, null, 2), contentType: 'application/json' });
      console.log(`axe ${name} ${when}: ${result.passes.length} rules pass; violations: ${summary.join(', ') || 'none'}`);
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`)).toEqual([]);
    };
    await check('opening');
    await selectColour(page, 3);
    const at = await screenPoint(page, 40, 40);
    if (options.viewport.width < 500) await page.touchscreen.tap(at.x, at.y);
    else await page.mouse.click(at.x, at.y);
    await expect(page.locator('#info')).toBeVisible();
    await page.locator('#place').click();
    await expect(page.locator('#cooldown')).not.toHaveText('Ready');
    await page.locator('#place').click({ force: true }); // unavailable (aria-disabled), and says why: "Not yet"
    await expect(page.locator('#toast')).toContainText('Not yet');
    await check('selected');
    await context.close();
  });
}
