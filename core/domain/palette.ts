// The 16 colours of r/place 2017, in their original order; a pixel stores the index (0–15).
export const PALETTE: readonly string[] = Object.freeze([
  '#FFFFFF', '#E4E4E4', '#888888', '#222222',
  '#FFA7D1', '#E50000', '#E59500', '#A06A42',
  '#E5D900', '#94E044', '#02BE01', '#00D3DD',
  '#0083C7', '#0000EA', '#CF6EE4', '#820080',
]);

/** What people (and screen readers) call each colour, in palette order. */
export const PALETTE_NAMES: readonly string[] = Object.freeze([
  'White', 'Light grey', 'Grey', 'Black',
  'Pink', 'Red', 'Orange', 'Brown',
  'Yellow', 'Light green', 'Green', 'Cyan',
  'Blue', 'Dark blue', 'Lilac', 'Purple',
]);

export const COLOR_COUNT = PALETTE.length;

/** Palette as packed RGB triples, ready for writing into image buffers. */
export const PALETTE_RGB: Uint8Array = (() => {
  const rgb = new Uint8Array(COLOR_COUNT * 3);
  PALETTE.forEach((hex, i) => {
    const n = Number.parseInt(hex.slice(1), 16);
    rgb[i * 3] = n >> 16;
    rgb[i * 3 + 1] = (n >> 8) & 0xff;
    rgb[i * 3 + 2] = n & 0xff;
  });
  return rgb;
})();
