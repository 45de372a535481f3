import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './sliding-window.ts';

const MINUTE = 60_000;
const edge = 1_795_000_020_000; // a clock minute's edge

describe('SlidingWindowLimiter', () => {
  it('admits no more than the cap in any window, even across a clock minute\'s edge', () => {
    const limiter = new SlidingWindowLimiter();
    for (let i = 0; i < 3; i++) expect(limiter.take('a', 3, MINUTE, edge - 3 + i).allowed).toBe(true);
    // A fixed window per clock minute would admit three more here.
    const refused = limiter.take('a', 3, MINUTE, edge + 1);
    expect(refused).toEqual({ allowed: false, retryAfterMs: MINUTE - 4 });
    expect(limiter.take('a', 3, MINUTE, edge - 3 + MINUTE - 1).allowed).toBe(false);
    // Once the first use is a whole window old, one more fits, and only one.
    expect(limiter.take('a', 3, MINUTE, edge - 3 + MINUTE).allowed).toBe(true);
    expect(limiter.take('a', 3, MINUTE, edge - 3 + MINUTE).allowed).toBe(false);
  });

  it('counts each key on its own, and a refused use not at all', () => {
    const limiter = new SlidingWindowLimiter();
    expect(limiter.take('a', 1, MINUTE, edge).allowed).toBe(true);
    for (let i = 1; i < 10; i++) expect(limiter.take('a', 1, MINUTE, edge + i * 1000).allowed).toBe(false);
    expect(limiter.take('b', 1, MINUTE, edge).allowed).toBe(true);
    expect(limiter.take('a', 1, MINUTE, edge + MINUTE).allowed).toBe(true);
  });

  it('keeps uses in time order when callers\' clocks disagree', () => {
    const limiter = new SlidingWindowLimiter();
    limiter.take('a', 2, MINUTE, edge + 500);
    limiter.take('a', 2, MINUTE, edge); // a caller whose clock is behind
    expect(limiter.take('a', 2, MINUTE, edge + 600)).toEqual({ allowed: false, retryAfterMs: MINUTE - 600 });
  });

  it('forgets keys whose uses have all aged out, so one-off addresses do not pile up', () => {
    const limiter = new SlidingWindowLimiter();
    for (let i = 0; i < 5000; i++) limiter.take(`ip${i}`, 3, MINUTE, edge + i);
    expect(limiter.size).toBe(5000); // all still in their window
    // The map is swept when it has doubled since the last sweep: by then the first 5,000 are gone.
    for (let i = 0; i < 4000; i++) limiter.take(`later${i}`, 3, MINUTE, edge + 2 * MINUTE + i);
    expect(limiter.size).toBe(4000);
  });
});
