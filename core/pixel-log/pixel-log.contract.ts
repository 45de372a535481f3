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
    });

    it('replays every placement in seq order, so the last one of each pixel is its current state', async () => {
      for (let i = 1; i <= 30; i++) await log.record(placement(i, { x: i % 10, y: 0 }));
      const seen = new Map<number, number>();
      await log.replay(0, Number.POSITIVE_INFINITY, (p) => seen.set(p.x, p.seq));
      expect(seen.size).toBe(10);
      expect(seen.get(0)).toBe(30);
      expect(seen.get(1)).toBe(21);
      expect((await log.pixel(1, 0))?.seq).toBe(21);
    });

    it('replays exactly the placements after one seq up to another, each once, across journal buckets', async () => {
      const seqs = [...Array.from({ length: 12 }, (_, i) => 65_530 + i), 3, 131_080]; // seqs are dense: every bucket up to the last holds some
      // Out of order and one recorded twice, as concurrent writers and a drain would.
      for (const seq of [...seqs].reverse()) await log.record(placement(seq, { x: seq % 7, y: 2 }));
      await log.record(placement(65_535, { x: 65_535 % 7, y: 2 }));
      const replayed: number[] = [];
      await log.replay(65_532, 65_538, (p) => replayed.push(p.seq));
      expect(replayed).toEqual([65_533, 65_534, 65_535, 65_536, 65_537, 65_538]);
      const all: number[] = [];
      await log.replay(0, Number.POSITIVE_INFINITY, (p) => all.push(p.seq));
      expect(all).toEqual([...seqs].sort((a, b) => a - b));
    });

    it('knows the highest seq it holds (0 when empty)', async () => {
      expect(await log.seqFloor()).toBe(0);
      for (const seq of [5, 70_000, 12]) await log.record(placement(seq));
      expect(await log.seqFloor()).toBe(70_000);
    });

    it('still has every acknowledged placement after a restart', async () => {
      await Promise.all(Array.from({ length: 50 }, (_, i) => log.record(placement(i + 1, { x: i, y: 3 }))));
      log = await fixture.reopen();
      const seqs: number[] = [];
      await log.replay(0, Number.POSITIVE_INFINITY, (p) => seqs.push(p.seq));
      expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('keeps the size the board grew to across a restart, and has none before it grows', async () => {
      expect(await log.boardSize()).toBeNull();
      await log.recordBoardSize({ width: 1500, height: 1000 });
      await log.recordBoardSize({ width: 3000, height: 2000 });
      log = await fixture.reopen();
      expect(await log.boardSize()).toEqual({ width: 3000, height: 2000 });
    });
  });
}
