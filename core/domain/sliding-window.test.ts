import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './sliding-window.ts';

const MINUTE = 60_000;
const edge = 1_795_000_020_000; // a clock minute's edge (and a bucket's: buckets are 6 s wide)

describe('SlidingWindowLimiter', () => {
  it('admits no more than the cap across a clock minute\'s edge, and says when the next one fits', () => {
    const limiter = new SlidingWindowLimiter();
    for (let i = 0; i < 3; i++) expect(limiter.take('a', 3, MINUTE, edge - 3 + i).allowed).toBe(true);
    // A counter per clock minute would admit three more here.
    expect(limiter.take('a', 3, MINUTE, edge + 1)).toEqual({ allowed: false, retryAfterMs: MINUTE - 1 });
    expect(limiter.take('a', 3, MINUTE, edge + MINUTE - 1).allowed).toBe(false);
    for (let i = 0; i < 3; i++) expect(limiter.take('a', 3, MINUTE, edge + MINUTE).allowed).toBe(true);
    expect(limiter.take('a', 3, MINUTE, edge + MINUTE).allowed).toBe(false);
  });

  it('counts a use for up to a tenth of a window longer than the window, and a refused use not at all', () => {
    const limiter = new SlidingWindowLimiter();
    expect(limiter.take('a', 1, MINUTE, edge).allowed).toBe(true);
    for (let i = 1; i <= 65; i++) expect(limiter.take('a', 1, MINUTE, edge + i * 1000 - 1).allowed).toBe(false);
    expect(limiter.take('b', 1, MINUTE, edge).allowed).toBe(true);
    expect(limiter.take('a', 1, MINUTE, edge + 66_000).allowed).toBe(true);
  });

  it('never admits more than the cap in any window, whatever the pattern of uses', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const limiter = new SlidingWindowLimiter();
    const admitted: number[] = [];
    let t = edge;
    for (let i = 0; i < 5000; i++) {
      t += Math.floor(random() ** 3 * 4000); // bursts and gaps
      if (limiter.take('a', 7, MINUTE, t).allowed) admitted.push(t);
    }
    for (const end of admitted) expect(admitted.filter((u) => u > end - MINUTE && u <= end).length).toBeLessThanOrEqual(7);
    expect(admitted.length).toBeGreaterThan(7 * ((t - edge) / MINUTE) * 0.8); // and it is not merely stingy
  });

  it('keeps uses in time order when callers\' clocks disagree', () => {
    const limiter = new SlidingWindowLimiter();
    limiter.take('a', 2, MINUTE, edge + 6500);
    limiter.take('a', 2, MINUTE, edge); // a caller whose clock is behind, in the bucket before
    // The earlier use ages out first: at edge + 66 s.
    expect(limiter.take('a', 2, MINUTE, edge + 7000)).toEqual({ allowed: false, retryAfterMs: 59_000 });
  });

  it('forgets keys whose uses have all aged out, so one-off addresses do not pile up', () => {
    const limiter = new SlidingWindowLimiter();
    for (let i = 0; i < 5000; i++) limiter.take(`ip${i}`, 3, MINUTE, edge + i);
    expect(limiter.size).toBe(5000); // all still counted
    // The map is swept when it has doubled since the last sweep: by then the first 5,000 are gone.
    for (let i = 0; i < 4000; i++) limiter.take(`later${i}`, 3, MINUTE, edge + 2 * MINUTE + i);
    expect(limiter.size).toBe(4000);
  });
});
