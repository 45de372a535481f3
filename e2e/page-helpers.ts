// What the end-to-end tests ask of a board page: wait for it to be live, click a board pixel,
// and read its canvas back.
import { expect, type Page } from '@playwright/test';

export async function openBoard(page: Page, baseUrl: string, view = '100,75,4'): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${baseUrl}/#${view}`);
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

export async function selectColour(page: Page, color: number): Promise<void> {
  await page.locator(`#palette [data-color="${color}"]`).click();
}

export async function clickPixel(page: Page, x: number, y: number): Promise<void> {
  const p = await screenPoint(page, x, y);
  await page.mouse.click(p.x, p.y);
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
