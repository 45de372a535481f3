import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedBoardStore } from './embedded-board-store.ts';
import { LeaseKeeper } from './lease-keeper.ts';

const LEASE_MS = 3000;
const TICK_MS = 50;

function servers(count: number) {
  const store = new EmbeddedBoardStore({ size: { width: 4, height: 4 }, rules: { cooldownMs: 0, placementsPerIp: 1 }, sessionsPerIpPerHour: 1, updatesKept: 10 });
  const keepers = Array.from({ length: count }, () => new LeaseKeeper((ttl) => store.tryLease('relay', ttl), { leaseMs: LEASE_MS, jitterMs: TICK_MS }));
  store.onLeaseReleased(() => { for (const k of keepers) k.released(); });
  /** Every running keeper ticks once, then the clock moves a tick on. */
  const tick = async (running = keepers) => {
    for (const k of running) await k.hold(Date.now());
    vi.advanceTimersByTime(TICK_MS);
  };
  return { keepers, tick };
}

describe('lease keeper', () => {
  beforeEach(() => { vi.useFakeTimers({ now: 1_000_000 }); });
  afterEach(() => { vi.useRealTimers(); });

  it('lets one of many hold the lease, and the followers ask the store once per lease period, not every tick', async () => {
    const { keepers, tick } = servers(20);
    for (let t = 0; t < 60_000 / TICK_MS; t++) await tick();
    expect(keepers.filter((k) => k.lease).length).toBe(1);
    const holder = keepers.find((k) => k.lease)!;
    expect(holder.stats).toMatchObject({ terms: 1, lost: 0 });
    for (const follower of keepers.filter((k) => k !== holder)) {
      // 1,200 ticks in a minute; the holder renews every second, so a follower finds 2–3 s left each time it asks.
      expect(follower.stats.tries).toBeGreaterThanOrEqual(20);
      expect(follower.stats.tries).toBeLessThanOrEqual(31);
    }
  });

  it('hands the lease over within a tick of the holder letting go', async () => {
    const { keepers, tick } = servers(3);
    for (let t = 0; t < 20; t++) await tick();
    const holder = keepers.find((k) => k.lease)!;
    await holder.release();
    const followers = keepers.filter((k) => k !== holder);
    await tick(followers);
    await tick(followers);
    expect(followers.filter((k) => k.lease).length).toBe(1);
  });

  it('takes over within a tick of the lease running out when its holder stops (a crashed server)', async () => {
    const { keepers, tick } = servers(3);
    await tick();
    const holder = keepers.find((k) => k.lease)!;
    const followers = keepers.filter((k) => k !== holder);
    for (let t = 0; t < 40; t++) await tick(); // the holder renews at 1 s and 2 s
    const diedAt = Date.now();
    let takenAt = 0;
    while (!takenAt) {
      await tick(followers);
      if (followers.some((k) => k.lease)) takenAt = Date.now();
      expect(Date.now() - diedAt).toBeLessThan(LEASE_MS + 2 * TICK_MS);
    }
    expect(takenAt - diedAt).toBeGreaterThan(LEASE_MS / 3);
    expect((await holder.hold(Date.now())).lost).toBe(true); // the old holder, back, finds it gone and follows
    expect(holder.lease).toBeNull();
  });
});
