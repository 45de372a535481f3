import { describe, expect, it } from 'vitest';
import { placeOutcomes } from './place-replies.ts';

const at = (now: number, x = 3) => ({ x, y: 4, color: 5, userId: `u${x}`, now, ip: '10.0.0.1' });

describe('the write script\'s flat reply', () => {
  it('reads each write\'s answer in order; placements take their seq, version and oldest pending placement from the header and the placements before them', () => {
    const flat = [300_000, 7, 1_000_000, -1, 'placed', 'cooldown', 1234, 'placed', 'closed', 'paused', '', '', 'placed', 'shadow', 6, 300_000];
    expect(placeOutcomes([at(1_000, 1), at(1_000, 2), at(999, 3), at(1_000, 4), at(1_005, 5), at(1_006, 6)], flat)).toEqual([
      { status: 'placed', placement: { seq: 7, x: 1, y: 4, color: 5, userId: 'u1', placedAt: 1_000, version: 1_000_000 }, oldestPendingAt: null, cooldownMs: 300_000 },
      { status: 'cooldown', retryAfterMs: 1234 },
      // An earlier clock: the version still grows, and this placement is now the oldest pending.
      { status: 'placed', placement: { seq: 8, x: 3, y: 4, color: 5, userId: 'u3', placedAt: 999, version: 1_000_001 }, oldestPendingAt: 1_000, cooldownMs: 300_000 },
      { status: 'closed', state: 'paused', message: null, opensAt: null },
      { status: 'placed', placement: { seq: 9, x: 5, y: 4, color: 5, userId: 'u5', placedAt: 1_005, version: 1_005_000 }, oldestPendingAt: 999, cooldownMs: 300_000 },
      { status: 'shadow', placement: { seq: 6, x: 6, y: 4, color: 5, userId: 'u6', placedAt: 1_006, version: 0 }, cooldownMs: 300_000 },
    ]);
  });

  it('of the header alone means every write placed, each with the next seq and version', () => {
    expect(placeOutcomes([at(1_000, 1), at(999, 2)], [300_000, 7, 1_000_000, -1])).toEqual([
      { status: 'placed', placement: { seq: 7, x: 1, y: 4, color: 5, userId: 'u1', placedAt: 1_000, version: 1_000_000 }, oldestPendingAt: null, cooldownMs: 300_000 },
      { status: 'placed', placement: { seq: 8, x: 2, y: 4, color: 5, userId: 'u2', placedAt: 999, version: 1_000_001 }, oldestPendingAt: 1_000, cooldownMs: 300_000 },
    ]);
  });

  it('that does not hold exactly one answer for each write is refused', () => {
    expect(placeOutcomes([at(1), at(2)], [0, 1, 1, -1, 'placed'])).toBeNull(); // one short
    expect(placeOutcomes([at(1)], [0, 1, 1, -1, 'placed', 'placed'])).toBeNull(); // one over
    expect(placeOutcomes([at(1)], [0, 1, 1, -1, 'cooldown'])).toBeNull(); // its value missing
    expect(placeOutcomes([at(1)], [0, 1, 1, -1, 'exploded'])).toBeNull(); // a kind it does not know
    expect(placeOutcomes([at(1)], [0, 1, 1])).toBeNull();
  });
});
