// One suite for every PixelLog adapter: the file log and Cassandra must behave alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Placement } from '../domain/placement.ts';
import type { PixelLog } from './pixel-log.ts';

export interface LogFixture {
  log: PixelLog;
  /** Closes and opens the same log again, as after a process restart. */
  reopen(): Promise<PixelLog>;
  close(): Promise<void>;
}

const T = 1_795_000_000_000;

export function placement(seq: number, over: Partial<Placement> = {}): Placement {
  return { seq, x: 1, y: 1, color: seq % 16, userId: `user${seq}`, placedAt: T + seq, version: (T + seq) * 1000, ...over };
}

export function describePixelLogContract(name: string, open: () => Promise<LogFixture>): void {
  describe(`${name} pixel log contract`, () => {
    let fixture: LogFixture;
    let log: PixelLog;
    beforeEach(async () => {
      fixture = await open();
      log = fixture.log;
    });
    afterEach(async () => fixture.close());

    it('returns a recorded pixel, and null for one never placed', async () => {
      await log.record(placement(1, { x: 4, y: 7, color: 9, userId: 'alice' }));
      expect(await log.pixel(4, 7)).toEqual(placement(1, { x: 4, y: 7, color: 9, userId: 'alice' }));
      expect(await log.pixel(7, 4)).toBeNull();
    });

    it('keeps the highest version of a pixel whatever order writes arrive in', async () => {
      await log.record(placement(3, { color: 3 }));
      await log.record(placement(2, { color: 2 }));
      expect((await log.pixel(1, 1))?.seq).toBe(3);
    });

    it('is idempotent: recording a placement twice leaves one history entry', async () => {
      await log.record(placement(5));
      await log.record(placement(5));
      await log.record(placement(6));
      expect((await log.history(1, 1, 10)).map((p) => p.seq)).toEqual([6, 5]);
    });

    it('keeps each user\'s last placement', async () => {
      await log.record(placement(1, { userId: 'bob', placedAt: T }));
      await log.record(placement(2, { userId: 'bob', placedAt: T + 500, x: 2 }));
      expect(await log.lastPlacement('bob')).toBe(T + 500);
      expect(await log.lastPlacement('nobody')).toBeNull();
      expect((await log.placementsSince(T + 100)).filter((c) => c.userId === 'bob')).toEqual([{ userId: 'bob', placedAt: T + 500 }]);
    });

    it('scans the current state of every placed pixel', async () => {
      for (let i = 1; i <= 30; i++) await log.record(placement(i, { x: i % 10, y: 0 }));
      const seen = new Map<number, number>();
      await log.scanPixels((p) => seen.set(p.x, p.seq));
      expect(seen.size).toBe(10);
      expect(seen.get(0)).toBe(30);
      expect(seen.get(1)).toBe(21);
    });

    it('still has every acknowledged placement after a restart', async () => {
      await Promise.all(Array.from({ length: 50 }, (_, i) => log.record(placement(i + 1, { x: i, y: 3 }))));
      log = await fixture.reopen();
      const seqs: number[] = [];
      await log.scanPixels((p) => seqs.push(p.seq));
      expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });
  });
}
