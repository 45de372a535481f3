import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time.ts';

describe('relative time', () => {
  it('says how long ago in the largest whole unit', () => {
    const now = Date.UTC(2026, 10, 22, 12);
    expect(relativeTime(now - 3_000, now)).toBe('just now');
    expect(relativeTime(now + 5_000, now)).toBe('just now'); // a clock a little ahead of ours
    expect(relativeTime(now - 42_000, now)).toBe('42 s ago');
    expect(relativeTime(now - 3 * 60_000 - 20_000, now)).toBe('3 min ago');
    expect(relativeTime(now - 5 * 3_600_000, now)).toBe('5 h ago');
    expect(relativeTime(now - 30 * 3_600_000, now)).toBe('yesterday');
    expect(relativeTime(now - 3 * 86_400_000, now)).toBe('3 days ago');
  });
});
