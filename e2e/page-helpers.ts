// What the end-to-end tests ask of a board page: wait for it to be live, select and place board
// pixels as a person does, and read its canvas back.
import { expect, type Page } from '@playwright/test';
import sharp from 'sharp';

export async function openBoard(page: Page, baseUrl: string, view: string | null = '100,75,4'): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => {
    // The card of a pixel nobody placed asks for it and gets the API's 404: Chromium logs that.
    const neverPlaced = m.text().includes('status of 404') && /\/api\/pixels\/\d+\/\d+$/.test(m.location().url);
    if (m.type() === 'error' && !neverPlaced) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(view === null ? `${baseUrl}/` : `${baseUrl}/#${view}`);
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  return errors;
}

/** The screen point of the centre of board pixel (x, y) under the page's current view. */
export async function screenPoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  return page.evaluate(([bx, by]) => {
    const canvas = document.getElementById('board') as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    return { x: r.left + ((bx! + 0.5) / canvas.width) * r.width, y: r.top + ((by! + 0.5) / canvas.height) * r.height };
  }, [x, y]);
}

/** Screen pixels per board pixel. */
export async function zoomOf(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.getElementById('board') as HTMLCanvasElement;
    return canvas.getBoundingClientRect().width / canvas.width;
  });
}

/** Pans (as a shared link would) so that pixel (x, y) is on screen, when it is not. */
export async function showPixel(page: Page, x: number, y: number): Promise<void> {
  const p = await screenPoint(page, x, y);
  const inside = await page.evaluate(([px, py]) => {
    const r = document.getElementById('viewport')!.getBoundingClientRect();
    return px! > r.left + 20 && px! < r.right - 20 && py! > r.top + 60 && py! < r.bottom - 20;
  }, [p.x, p.y]);
  if (!inside) await page.evaluate(([bx, by, z]) => { location.hash = `#${bx},${by},${z}`; }, [x, y, await zoomOf(page)]);
}

export async function selectColour(page: Page, color: number): Promise<void> {
  await page.locator(`#palette [data-color="${color}"]`).click();
}

/** Clicks board pixel (x, y): it becomes the selected pixel (zooming in on it if it was too small to see). */
export async function clickPixel(page: Page, x: number, y: number): Promise<void> {
  await showPixel(page, x, y);
  const p = await screenPoint(page, x, y);
  await page.mouse.click(p.x, p.y);
  await expect(page.locator('#info-coords')).toHaveText(`${x}, ${y}`);
}

/**
 * Selects pixel (x, y) and presses Place: how a person places a pixel. `evenIfUnavailable`
 * presses it while it is marked unavailable (aria-disabled, say during the cooldown), as a
 * person may: the page then says why nothing happened.
 */
export async function placePixel(page: Page, x: number, y: number, evenIfUnavailable = false): Promise<void> {
  await clickPixel(page, x, y);
  await page.locator('#place').click({ force: evenIfUnavailable });
}

/** The canvas's pixels as RGB, base64 (read back with getImageData). */
export async function canvasRgb(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(() => {
    const canvas = document.getElementById('board') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const rgb = new Uint8Array((data.length / 4) * 3);
    for (let i = 0, o = 0; i < data.length; i += 4, o += 3) {
      rgb[o] = data[i]!;
      rgb[o + 1] = data[i + 1]!;
      rgb[o + 2] = data[i + 2]!;
    }
    let s = '';
    for (let i = 0; i < rgb.length; i += 0x8000) s += String.fromCharCode(...rgb.subarray(i, i + 0x8000));
    return btoa(s);
  });
  return Buffer.from(b64, 'base64');
}

/** The server's board as RGB, from /api/board.png. */
export async function boardPng(baseUrl: string): Promise<Buffer> {
  const res = await fetch(`${baseUrl}/api/board.png`);
  return sharp(Buffer.from(await res.arrayBuffer())).removeAlpha().raw().toBuffer();
}

export async function canvasMatchesServer(page: Page, baseUrl: string): Promise<void> {
  await expect.poll(async () => (await canvasRgb(page)).equals(await boardPng(baseUrl)), { timeout: 20_000 }).toBe(true);
}
