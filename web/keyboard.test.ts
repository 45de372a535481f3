import { describe, expect, it } from 'vitest';
import { colourForKey } from './keyboard.ts';
import { keyForColour } from './palette.ts';

const key = (code: string, shiftKey = false, ctrlKey = false) => ({ code, shiftKey, ctrlKey, metaKey: false, altKey: false });

describe('colour keys', () => {
  it('1–9 and 0 pick the first ten colours, Shift+1–6 the other six, on the digit row and the keypad', () => {
    expect(colourForKey(key('Digit1'))).toBe(0);
    expect(colourForKey(key('Digit9'))).toBe(8);
    expect(colourForKey(key('Digit0'))).toBe(9);
    expect(colourForKey(key('Numpad5'))).toBe(4);
    expect(colourForKey(key('Digit1', true))).toBe(10);
    expect(colourForKey(key('Digit6', true))).toBe(15);
  });

  it('leaves other keys and shortcuts of the browser alone', () => {
    expect(colourForKey(key('Digit7', true))).toBeNull(); // there is no 17th colour
    expect(colourForKey(key('Digit0', true))).toBeNull();
    expect(colourForKey(key('Digit1', false, true))).toBeNull(); // Ctrl+1 switches tabs
    expect(colourForKey(key('KeyA'))).toBeNull();
  });

  it('agrees with the key each swatch shows', () => {
    for (let i = 0; i < 16; i++) {
      const shown = keyForColour(i);
      const shift = shown.startsWith('Shift+');
      expect(colourForKey(key(`Digit${shown.replace('Shift+', '')}`, shift))).toBe(i);
    }
  });
});
