import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { PALETTE_RGB } from '../domain/palette.ts';
import { NO_PIXEL } from './community-store.ts';
import { nearestColor, quantisePixels, quantiseTemplateImage, templatePng } from './template-image.ts';

const png = (width: number, height: number, rgba: number[]) =>
  sharp(Buffer.from(rgba), { raw: { width, height, channels: 4 } }).png().toBuffer();

describe('template images', () => {
  it('maps every palette colour to itself and an off-palette colour to the nearest', () => {
    for (let c = 0; c < 16; c++) expect(nearestColor(PALETTE_RGB[c * 3]!, PALETTE_RGB[c * 3 + 1]!, PALETTE_RGB[c * 3 + 2]!)).toBe(c);
    expect(nearestColor(250, 10, 10)).toBe(5); // #E50000
    expect(nearestColor(5, 5, 5)).toBe(3); // #222222
  });

  it('quantises a PNG, leaving transparent pixels out of the template, and renders it back in palette colours', async () => {
    const q = await quantiseTemplateImage(await png(2, 2, [250, 10, 10, 255, 0, 0, 0, 0, 5, 5, 5, 200, 255, 255, 255, 255]));
    expect([q.width, q.height, q.pixels]).toEqual([2, 2, 3]);
    expect(Array.from(q.target)).toEqual([5, NO_PIXEL, 3, 0]);
    const back = await sharp(await templatePng(q)).raw().toBuffer();
    expect(Array.from(back.subarray(0, 8))).toEqual([0xe5, 0, 0, 255, 0, 0, 0, 0]);
  });

  it('dithers only when asked: a flat mid-grey becomes a mix of greys', () => {
    const grey = Array.from({ length: 8 * 8 }, () => [180, 180, 180, 255]).flat();
    const plain = quantisePixels(Uint8Array.from(grey), 8, 8, false);
    const dithered = quantisePixels(Uint8Array.from(grey), 8, 8, true);
    expect(new Set(plain.target).size).toBe(1);
    expect(new Set(dithered.target).size).toBeGreaterThan(1);
  });

  it('names what is wrong with a bad image', async () => {
    const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);
    expect(await codeOf(quantiseTemplateImage(Buffer.from('GIF89a not a png')))).toBe('not_png');
    expect(await codeOf(quantiseTemplateImage(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40)])))).toBe('invalid_image');
    expect(await codeOf(quantiseTemplateImage(Buffer.alloc(1024 * 1024 + 1)))).toBe('image_too_large');
    const big = await sharp({ create: { width: 513, height: 4, channels: 4, background: '#ff0000' } }).png().toBuffer();
    expect(await codeOf(quantiseTemplateImage(big))).toBe('image_too_big');
    expect(await codeOf(quantiseTemplateImage(await png(1, 1, [9, 9, 9, 0])))).toBe('no_opaque_pixels');
  });
});
