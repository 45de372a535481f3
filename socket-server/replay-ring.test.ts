import { describe, expect, it } from 'vitest';
import { ReplayRing } from './replay-ring.ts';

const frame = (n: number) => Buffer.alloc(n);

describe('replay ring', () => {
  it('gives the frames after a seq, starting at the one that holds the next seq', () => {
    const ring = new ReplayRing(60_000, 1e9);
    ring.push(1, 3, frame(10), 0);
    ring.push(4, 4, frame(11), 1);
    ring.push(5, 9, frame(12), 2);
    expect(ring.framesAfter(0)!.map((f) => f.length)).toEqual([10, 11, 12]);
    expect(ring.framesAfter(3)!.map((f) => f.length)).toEqual([11, 12]);
    expect(ring.framesAfter(6)!.map((f) => f.length)).toEqual([12]);
    expect(ring.framesAfter(9)).toEqual([]);
  });

  it('answers null for a client older than what is kept, by time or by bytes', () => {
    const ring = new ReplayRing(1000, 25);
    ring.push(1, 1, frame(10), 0);
    ring.push(2, 2, frame(10), 500);
    ring.push(3, 3, frame(10), 1400); // the frame at 0 is now older than 1000 ms; the one at 500 is not
    expect(ring.framesAfter(0)).toBeNull();
    expect(ring.framesAfter(1)!.length).toBe(2);
    ring.push(4, 4, frame(10), 1450); // three frames are over 25 bytes: the oldest goes
    expect(ring.framesAfter(1)).toBeNull();
    expect(ring.size).toEqual({ frames: 2, bytes: 20 });
  });

  it('is empty after a clear (a restored board)', () => {
    const ring = new ReplayRing(60_000, 1e9);
    ring.push(1, 1, frame(1));
    ring.clear();
    expect(ring.framesAfter(0)).toBeNull();
  });
});
