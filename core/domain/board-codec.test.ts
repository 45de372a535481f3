import { describe, expect, it } from 'vitest';
import { boardByteLength, boardToPixels, colorAt, createBoard, pixelIndex, resizeBoard, setColorAt } from './board-codec.ts';
import { PALETTE, PALETTE_RGB } from './palette.ts';

const size = { width: 1000, height: 1000 };

describe('board codec', () => {
  it('packs a 1000×1000 board into 500,000 bytes', () => {
    expect(boardByteLength(size)).toBe(500_000);
    expect(createBoard(size).length).toBe(500_000);
  });

  it('puts even pixels in the high nibble and odd pixels in the low nibble, like BITFIELD u4 #i', () => {
    const board = createBoard(size);
    setColorAt(board, 0, 0xa);
    setColorAt(board, 1, 0x3);
    setColorAt(board, pixelIndex(size, 999, 999), 0xf);
    expect(board[0]).toBe(0xa3);
    expect(board[499_999]).toBe(0x0f);
    expect(colorAt(board, 0)).toBe(0xa);
    expect(colorAt(board, 1)).toBe(0x3);
  });

  it('setting one pixel leaves its byte neighbour untouched', () => {
    const board = createBoard(size);
    for (let c = 0; c < 16; c++) {
      setColorAt(board, 10, c);
      setColorAt(board, 11, 15 - c);
      expect([colorAt(board, 10), colorAt(board, 11)]).toEqual([c, 15 - c]);
    }
  });

  it('indexes pixel (x, y) as y·W + x', () => {
    expect(pixelIndex(size, 3, 2)).toBe(2003);
  });

  it('expands to the exact palette colours', () => {
    const board = createBoard({ width: 2, height: 1 });
    setColorAt(board, 1, 5);
    const rgba = boardToPixels(board, { width: 2, height: 1 }, 4);
    expect(Array.from(rgba)).toEqual([255, 255, 255, 255, 0xe5, 0, 0, 255]);
    expect(PALETTE).toHaveLength(16);
    expect(Array.from(PALETTE_RGB.slice(45, 48))).toEqual([0x82, 0x00, 0x80]);
  });

  it('keeps every pixel at its coordinates when the board grows', () => {
    const from = { width: 3, height: 2 };
    const board = createBoard(from);
    setColorAt(board, pixelIndex(from, 2, 1), 9);
    setColorAt(board, pixelIndex(from, 0, 1), 4);
    const to = { width: 5, height: 4 };
    const grown = resizeBoard(board, from, to);
    expect(colorAt(grown, pixelIndex(to, 2, 1))).toBe(9);
    expect(colorAt(grown, pixelIndex(to, 0, 1))).toBe(4);
    expect(colorAt(grown, pixelIndex(to, 4, 3))).toBe(0);
    expect(resizeBoard(board, from, from)).toBe(board);
  });
});
