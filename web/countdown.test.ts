import { describe, expect, it } from 'vitest';
import { formatCountdown } from './countdown.ts';

describe('the opening countdown', () => {
  it('shows minutes and seconds, hours when there are some, and never goes below zero', () => {
    expect(formatCountdown(65_000)).toBe('1:05');
    expect(formatCountdown(3_723_000)).toBe('1:02:03');
    expect(formatCountdown(-5)).toBe('0:00');
    expect(formatCountdown(1)).toBe('0:01');
  });
});
