import { describe, expect, it } from 'vitest';
import { placerName } from './info-panel.ts';

describe('who placed a pixel, as the card says it', () => {
  const base = { x: 1, y: 2, color: 3, placedAt: 0 };
  it('shows a display name when there is one, else the user id shortened, and "you" for oneself', () => {
    expect(placerName({ ...base, userId: 'u_0123456789abcdef', displayName: 'Ada' }, null)).toBe('Ada');
    expect(placerName({ ...base, userId: 'u_0123456789abcdef' }, null)).toBe('u_012345…');
    expect(placerName({ ...base, userId: 'short' }, null)).toBe('short');
    expect(placerName({ ...base, userId: 'u_0123456789abcdef', displayName: 'Ada' }, 'u_0123456789abcdef')).toBe('you');
  });
});
