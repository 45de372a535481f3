import { describe, expect, it } from 'vitest';
import { placeOutcome, placeReplies } from './place-replies.ts';

const request = { x: 3, y: 4, color: 5, userId: 'u1', now: 1_000, ip: '10.0.0.1' };

describe('the write script\'s flat reply', () => {
  it('is split into one reply per write, each read as its outcome', () => {
    const flat = ['placed', 7, 1_000_000, -1, 300_000, 'cooldown', 1234, null, null, null, 'closed', 'paused', null, null, null];
    const replies = placeReplies(flat, 3)!;
    expect(replies.map((r) => placeOutcome(request, r))).toEqual([
      { status: 'placed', placement: { seq: 7, x: 3, y: 4, color: 5, userId: 'u1', placedAt: 1_000, version: 1_000_000 }, oldestPendingAt: null, cooldownMs: 300_000 },
      { status: 'cooldown', retryAfterMs: 1234 },
      { status: 'closed', state: 'paused', message: null, opensAt: null },
    ]);
  });

  it('that does not hold a reply for every write is refused', () => {
    expect(placeReplies(['placed', 7, 1, -1, 1], 2)).toBeNull();
    expect(placeReplies(['placed', 7, 1, -1], 1)).toBeNull();
  });
});
