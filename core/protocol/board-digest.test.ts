import { describe, expect, it } from 'vitest';
import { createBoard, pixelIndex, setColorAt } from '../domain/board-codec.ts';
import { boardDigest, decodeDigest, differingTiles, encodeDigest, tileCount, tileOf, tileRect } from './board-digest.ts';

describe('board digest', () => {
  it('cuts a 1000×1000 board into 16 tiles, the last row and column smaller', () => {
    const size = { width: 1000, height: 1000 };
    expect(tileCount(size)).toBe(16);
    expect(tileRect(size, 15)).toEqual({ x: 768, y: 768, width: 232, height: 232 });
    expect(tileOf(size, 999, 0)).toBe(3);
    expect(tileCount({ width: 3000, height: 2000 })).toBe(12 * 8);
  });

  it('a changed pixel changes its tile\'s hash and no other (even width)', () => {
    const size = { width: 600, height: 300 };
    const board = createBoard(size);
    const before = boardDigest(board, size).slice();
    setColorAt(board, pixelIndex(size, 300, 260), 9);
    expect(differingTiles(before, boardDigest(board, size))).toEqual([tileOf(size, 300, 260)]);
  });

  it('on an odd width a pixel in a byte shared by two tiles flags both, never neither', () => {
    const size = { width: 513, height: 3 };
    const board = createBoard(size);
    const before = boardDigest(board, size).slice();
    setColorAt(board, pixelIndex(size, 255, 1), 4); // row 1 starts mid-byte: pixel 255's byte also holds pixel 256
    expect(differingTiles(before, boardDigest(board, size))).toContain(tileOf(size, 255, 1));
  });

  it('recomputes only dirty tiles, and round-trips through hex', () => {
    const size = { width: 512, height: 512 };
    const board = createBoard(size);
    const hashes = boardDigest(board, size);
    setColorAt(board, pixelIndex(size, 0, 0), 1);
    const dirty = new Uint8Array(4);
    boardDigest(board, size, hashes, dirty); // nothing marked: nothing recomputed
    expect(differingTiles(hashes, boardDigest(createBoard(size), size))).toEqual([]);
    dirty[0] = 1;
    boardDigest(board, size, hashes, dirty);
    expect(differingTiles(hashes, boardDigest(board, size))).toEqual([]);
    expect(decodeDigest(encodeDigest(hashes))).toEqual(hashes);
    expect(decodeDigest('xyz')).toBeNull();
  });
});
