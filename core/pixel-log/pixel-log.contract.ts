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

    it('finds the placements in a rectangle and time window, newest first, by one user or all, across tiles and hours', async () => {
      const H = 3_600_000;
      const at = (seq: number, x: number, y: number, userId: string, placedAt: number) => placement(seq, { x, y, userId, placedAt });
      const all = [
        at(1, 10, 10, 'vandal', T), at(2, 70, 10, 'vandal', T + H), at(3, 10, 70, 'alice', T + H + 5), at(4, 200, 200, 'vandal', T + H),
        at(5, 63, 64, 'vandal', T + 3 * H), at(6, 10, 10, 'alice', T + 3 * H + 1), at(7, 11, 10, 'vandal', T - 1),
      ];
      for (const p of all) await log.record(p);
      await log.record(all[1]!); // a drain recording one again
      const q = { x0: 0, y0: 0, x1: 100, y1: 100, from: T, to: T + 3 * H + 1, limit: 100 };
      expect((await log.placementsInArea(q)).placements.map((p) => p.seq)).toEqual([6, 5, 3, 2, 1]);
      expect(await log.placementsInArea({ ...q, userId: 'vandal' })).toEqual({ placements: [all[4], all[1], all[0]], truncated: false });
      expect(await log.placementsInArea({ ...q, limit: 2 })).toEqual({ placements: [all[5], all[4]], truncated: true });
      expect((await log.placementsInArea({ ...q, x0: 64, x1: 100 })).placements.map((p) => p.seq)).toEqual([2]);
      expect((await log.placementsInArea({ ...q, from: T + 1, to: T + H })).placements.map((p) => p.seq)).toEqual([2]);
    });

    it('reads a pixel\'s history newest first, each placement once', async () => {
      for (let seq = 1; seq <= 30; seq++) await log.record(placement(seq, { x: seq % 3, y: 5 }));
      await log.record(placement(27, { x: 0, y: 5 }));
      expect((await log.history(0, 5, 4)).map((p) => p.seq)).toEqual([30, 27, 24, 21]);
      expect(await log.history(9, 9, 4)).toEqual([]);
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
