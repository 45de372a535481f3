import { describe, expect, it } from 'vitest';
import { EmbeddedBoardStore } from '../board-store/embedded-board-store.ts';
import { createBoard } from '../domain/board-codec.ts';
import type { Placement } from '../domain/placement.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import { PendingDrainer } from './persist-pending.ts';

const size = { width: 100, height: 100 };

async function storeWithPending(n: number) {
  const store = new EmbeddedBoardStore({ size, rules: { cooldownMs: 0, placementsPerIp: 1e9 }, sessionsPerIpPerHour: 1, updatesKept: 10 });
  await store.restore({ board: createBoard(size), seq: 0, version: 0 }, [], 0);
  for (let i = 0; i < n; i++) await store.place({ x: i % 100, y: 0, color: 1, userId: `u${i}`, ip: 'i', now: 1000 });
  return store;
}

/** A log that records slowly and notes how many records were in flight at once. */
function slowLog(failAfter = Number.POSITIVE_INFINITY) {
  const recorded = new Set<number>();
  const state = { inFlight: 0, maxInFlight: 0, calls: 0 };
  const log = {
    async record(p: Placement) {
      if (++state.calls > failAfter) throw new Error('persistence went away');
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      await new Promise((r) => setTimeout(r, 1));
      recorded.add(p.seq);
      state.inFlight--;
    },
  } as unknown as PixelLog;
  return { log, recorded, state };
}

describe('pending drain', () => {
  it('runs one drain at a time however often it is kicked, with bounded records in flight, and persists everything', async () => {
    const store = await storeWithPending(1000);
    const { log, recorded, state } = slowLog();
    const drainer = new PendingDrainer(store, log, { batchSize: 100, concurrency: 8, pauseMs: 0 });
    const runs = await Promise.all(Array.from({ length: 50 }, () => drainer.kick(2000)));
    expect(new Set(runs)).toEqual(new Set([1000]));
    expect(drainer.stats.runs).toBe(1);
    expect(state.maxInFlight).toBeLessThanOrEqual(8);
    expect(recorded.size).toBe(1000);
    expect(await store.pendingPersistence(Number.POSITIVE_INFINITY, 10)).toEqual([]);
  });

  it('stops at the first failure, reports it, keeps the rest pending and never throws', async () => {
    const store = await storeWithPending(500);
    const { log } = slowLog(150);
    const errors: unknown[] = [];
    const drainer = new PendingDrainer(store, log, { batchSize: 100, concurrency: 4, pauseMs: 0 }, (err) => errors.push(err));
    expect(await drainer.kick(2000)).toBe(0);
    expect(errors).toHaveLength(1);
    expect(drainer.stats.failures).toBe(1);
    expect((await store.pendingPersistence(Number.POSITIVE_INFINITY, 1000)).length).toBeGreaterThanOrEqual(350);
  });

  it('does not drain while another process holds the drain lock', async () => {
    const store = await storeWithPending(10);
    const lock = await store.tryLock('drain', 10_000);
    const { log, recorded } = slowLog();
    expect(await new PendingDrainer(store, log).kick(2000)).toBe(0);
    expect(recorded.size).toBe(0);
    await lock!.release();
  });
});
