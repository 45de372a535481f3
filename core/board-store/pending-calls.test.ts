import { describe, expect, it } from 'vitest';
import { decodePendingCall, isPendingCall, packPendingWriters, parsePendingMember, PendingCallTracker, pendingMember } from './pending-calls.ts';
import { nextVersion } from '../domain/placement.ts';
import { packPixelRecords } from './place-args.ts';

/** A call's record as the script packs it (struct.pack '<ddd', then the records and writers as the writer sent them). */
function record(firstSeq: number, firstVersion: number, writes: { x: number; y: number; color: number; now: number; userId: string }[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeDoubleLE(firstSeq, 0);
  header.writeDoubleLE(firstVersion, 8);
  header.writeDoubleLE(writes.length, 16);
  return Buffer.concat([header, packPixelRecords(writes), packPendingWriters(writes)]);
}

describe('a pending call\'s record', () => {
  it('reads back every placement of the call in seq order, with user ids of any characters and each version as the script made it', () => {
    const now = 1_763_950_000_000;
    const writes = [
      { x: 2999, y: 1999, color: 15, now, userId: 'ünï:cödé' },
      { x: 0, y: 0, color: 0, now: now - 5, userId: '' }, // an earlier clock: the version still grows
      { x: 7, y: 8, color: 9, now: now + 1, userId: 'u|3' },
    ];
    expect(decodePendingCall(record(41, now * 1000, writes))).toEqual([
      { seq: 41, x: 2999, y: 1999, color: 15, placedAt: now, version: now * 1000, userId: 'ünï:cödé' },
      { seq: 42, x: 0, y: 0, color: 0, placedAt: now - 5, version: now * 1000 + 1, userId: '' },
      { seq: 43, x: 7, y: 8, color: 9, placedAt: now + 1, version: (now + 1) * 1000, userId: 'u|3' },
    ]);
  });

  it('refuses a record cut short instead of inventing placements', () => {
    const whole = record(1, 1, [{ x: 1, y: 1, color: 1, now: 1, userId: 'someone' }]);
    expect(() => decodePendingCall(whole.subarray(0, whole.length - 12))).toThrow(/ends before its placement 1 of 1/);
    expect(() => decodePendingCall(whole.subarray(0, 10))).toThrow(/no header/);
  });

  it('versions follow the clock, and grow by one when the clock does not', () => {
    expect(nextVersion(5_000, 10)).toBe(10_000);
    expect(nextVersion(10_000, 10)).toBe(10_001);
    expect(nextVersion(20_000, 10)).toBe(20_001);
  });

  it('is named by a seq, which no record of one placement can be mistaken for', () => {
    const one = { seq: 12, x: 1, y: 2, color: 3, placedAt: 4, version: 5, userId: 'a:b' };
    expect(isPendingCall('12')).toBe(true);
    expect(isPendingCall(pendingMember(one))).toBe(false);
    expect(parsePendingMember(pendingMember(one))).toEqual(one);
    expect(parsePendingMember('12')).toBeNull();
  });
});

describe('the calls a writer tracks', () => {
  it('names a call once all of its placements are persisted, and only once', () => {
    const t = new PendingCallTracker();
    t.track('3', [1, 2, 3], 0);
    expect(t.persisted(2)).toBeNull();
    expect(t.persisted(2)).toBeUndefined(); // persisted twice (a retry): counted once
    expect(t.persisted(1)).toBeNull();
    expect(t.persisted(3)).toBe('3');
    expect(t.persisted(9)).toBeUndefined();
  });

  it('a drain that reads a call again takes it over: the call is named once all are persisted by either', () => {
    const t = new PendingCallTracker();
    t.track('2', [1, 2], 0);
    expect(t.persisted(1)).toBeNull();
    t.track('2', [1, 2], 1);
    expect(t.persisted(2)).toBeNull();
    expect(t.persisted(1)).toBe('2');
  });

  it('forgets a call not finished in time (a placement failed to persist), leaving its record to a drain', () => {
    const t = new PendingCallTracker(1000);
    t.track('2', [1, 2], 0);
    expect(t.persisted(1)).toBeNull();
    t.track('5', [5], 2000);
    expect(t.size).toBe(1);
    expect(t.persisted(2)).toBeUndefined();
    expect(t.persisted(5)).toBe('5');
  });
});
