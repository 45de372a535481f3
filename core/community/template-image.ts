// A template's image: a PNG of at most 512×512 and 1 MiB, quantised to the board palette (the
// nearest colour; Floyd–Steinberg dithering when asked). Pixels less than half opaque are not
// part of the template. Decoding and encoding are sharp's (libvips); the palette mapping is ours,
// because sharp's own palette mode picks its own colours rather than the board's.
import sharp, { type Metadata } from 'sharp';
import { BadRequestError } from '../errors.ts';
import { COLOR_COUNT, PALETTE_RGB } from '../domain/palette.ts';
import { NO_PIXEL } from './community-store.ts';

export const TEMPLATE_MAX_SIDE = 512;
export const TEMPLATE_MAX_BYTES = 1024 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface QuantisedTemplate {
  width: number;
  height: number;
  /** width·height palette indices; NO_PIXEL where transparent. */
  target: Uint8Array;
  /** Opaque pixels. */
  pixels: number;
}

/** The palette colour nearest to an RGB value (squared distance in RGB). */
export function nearestColor(r: number, g: number, b: number): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < COLOR_COUNT; c++) {
    const dr = r - PALETTE_RGB[c * 3]!;
    const dg = g - PALETTE_RGB[c * 3 + 1]!;
    const db = b - PALETTE_RGB[c * 3 + 2]!;
    const d = dr * dr + dg * dg + db * db;
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** Maps RGBA pixels to palette indices; with `dither`, the error spreads to opaque neighbours (Floyd–Steinberg). */
export function quantisePixels(rgba: Uint8Array, width: number, height: number, dither: boolean): QuantisedTemplate {
  const target = new Uint8Array(width * height).fill(NO_PIXEL);
  const work = dither ? Float32Array.from({ length: width * height * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]!) : null;
  let pixels = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (rgba[i * 4 + 3]! < 128) continue;
      const [r, g, b] = work ? [work[i * 3]!, work[i * 3 + 1]!, work[i * 3 + 2]!] : [rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!];
      const c = nearestColor(r, g, b);
      target[i] = c;
      pixels++;
      if (!work) continue;
      const err = [r - PALETTE_RGB[c * 3]!, g - PALETTE_RGB[c * 3 + 1]!, b - PALETTE_RGB[c * 3 + 2]!];
      const spread = (dx: number, dy: number, f: number) => {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || nx >= width || ny >= height || rgba[(ny * width + nx) * 4 + 3]! < 128) return;
        for (let k = 0; k < 3; k++) work[(ny * width + nx) * 3 + k] = work[(ny * width + nx) * 3 + k]! + err[k]! * f;
      };
      spread(1, 0, 7 / 16);
      spread(-1, 1, 3 / 16);
      spread(0, 1, 5 / 16);
      spread(1, 1, 1 / 16);
    }
  }
  return { width, height, target, pixels };
}

/** Reads and quantises an uploaded image; a bad one is a BadRequestError naming the problem. */
export async function quantiseTemplateImage(image: Buffer, dither = false): Promise<QuantisedTemplate> {
  if (image.length > TEMPLATE_MAX_BYTES) throw new BadRequestError('image_too_large', `The image is ${image.length} bytes; at most ${TEMPLATE_MAX_BYTES} (1 MiB).`);
  if (image.length < 8 || !image.subarray(0, 8).equals(PNG_SIGNATURE)) throw new BadRequestError('not_png', 'The image is not a PNG.');
  let meta: Metadata;
  try {
    meta = await sharp(image).metadata();
  } catch (err) {
    throw new BadRequestError('invalid_image', 'The PNG cannot be read.', { cause: err });
  }
  const { width = 0, height = 0 } = meta;
  if (meta.format !== 'png') throw new BadRequestError('not_png', 'The image is not a PNG.');
  if (width > TEMPLATE_MAX_SIDE || height > TEMPLATE_MAX_SIDE) {
    throw new BadRequestError('image_too_big', `The image is ${width}×${height}; at most ${TEMPLATE_MAX_SIDE}×${TEMPLATE_MAX_SIDE}.`);
  }
  let rgba: Buffer;
  try {
    rgba = await sharp(image, { limitInputPixels: TEMPLATE_MAX_SIDE * TEMPLATE_MAX_SIDE }).ensureAlpha().raw().toBuffer();
  } catch (err) {
    throw new BadRequestError('invalid_image', 'The PNG cannot be read.', { cause: err });
  }
  const q = quantisePixels(rgba, width, height, dither);
  if (q.pixels === 0) throw new BadRequestError('no_opaque_pixels', 'The image has no opaque pixels: nothing to build.');
  return q;
}

/** The quantised template as a PNG: palette colours, transparent where it is not part of the template. */
export async function templatePng(q: Pick<QuantisedTemplate, 'width' | 'height' | 'target'>): Promise<Buffer> {
  const rgba = Buffer.alloc(q.width * q.height * 4);
  for (let i = 0; i < q.target.length; i++) {
    const c = q.target[i]!;
    if (c === NO_PIXEL) continue;
    rgba[i * 4] = PALETTE_RGB[c * 3]!;
    rgba[i * 4 + 1] = PALETTE_RGB[c * 3 + 1]!;
    rgba[i * 4 + 2] = PALETTE_RGB[c * 3 + 2]!;
    rgba[i * 4 + 3] = 255;
  }
  return sharp(rgba, { raw: { width: q.width, height: q.height, channels: 4 } }).png({ compressionLevel: 9 }).toBuffer();
}
