import { describe, expect, it } from 'vitest';
import { checkPixelWrite, parseCoordinates } from './pixel-write.ts';

const size = { width: 1000, height: 1000 };

describe('pixel write validation', () => {
  it('accepts integers in range', () => {
    expect(checkPixelWrite({ x: 999, y: 0, color: 15 }, size)).toEqual({ ok: true, write: { x: 999, y: 0, color: 15 } });
  });

  it.each([
    [{ x: 1000, y: 0, color: 0 }, 'x'],
    [{ x: -1, y: 0, color: 0 }, 'x'],
    [{ x: 1.5, y: 0, color: 0 }, 'x'],
    [{ x: '1', y: 0, color: 0 }, 'x'],
    [{ x: 0, y: 1000, color: 0 }, 'y'],
    [{ x: 0, color: 0 }, 'y'],
    [{ x: 0, y: 0, color: 16 }, 'color'],
    [{ x: 0, y: 0, color: null }, 'color'],
    [[1, 2, 3], 'body'],
    [null, 'body'],
  ])('rejects %j naming the field %s', (body, field) => {
    const check = checkPixelWrite(body, size);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.field).toBe(field);
  });

  it('parses path coordinates only when they are in range', () => {
    expect(parseCoordinates('12', '34', size)).toEqual({ x: 12, y: 34 });
    expect(parseCoordinates('1000', '0', size)).toBeNull();
    expect(parseCoordinates('-1', '0', size)).toBeNull();
    expect(parseCoordinates('1e2', '0', size)).toBeNull();
  });
});
