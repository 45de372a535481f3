import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedBoardStore } from './embedded-board-store.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import type { HeldLease } from './board-store.ts';

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

  it('hands the lease over within two ticks of the holder letting go', async () => {
    const { keepers, tick } = servers(3);
    for (let t = 0; t < 20; t++) await tick();
    const holder = keepers.find((k) => k.lease)!;
    await holder.release();
    const followers = keepers.filter((k) => k !== holder);
    await tick(followers);
    await tick(followers);
    expect(followers.filter((k) => k.lease).length).toBe(1);
  });

  it('a release heard while a follower\'s ask was on its way still hands the lease over within two ticks', async () => {
    const { keepers, tick } = servers(2);
    await tick();
    const [holder, follower] = keepers[0]!.lease ? [keepers[0]!, keepers[1]!] : [keepers[1]!, keepers[0]!];
    for (let t = 0; t < (LEASE_MS + 2 * TICK_MS) / TICK_MS; t++) await tick([holder]); // the follower's next ask is due now
    const asks = follower.stats.tries;
    const asking = follower.hold(Date.now()); // refused: the holder still has it
    await holder.release(); // … and lets go before the refusal is back
    expect((await asking).lease).toBeNull();
    expect(follower.stats.tries).toBe(asks + 1);
    await tick([follower]);
    await tick([follower]);
    expect(follower.lease).not.toBeNull();
  });

  it('a server that stops while asking lets go of what it got, so the others need not wait out the lease', async () => {
    const { keepers, tick } = servers(2);
    const [stopping, other] = keepers as [LeaseKeeper<HeldLease>, LeaseKeeper<HeldLease>];
    const asking = stopping.hold(Date.now());
    await stopping.release();
    expect((await asking).lease).toBeNull();
    await tick([other]);
    expect(other.lease).not.toBeNull();
    expect((await stopping.hold(Date.now() + LEASE_MS)).lease).toBeNull(); // stopped: takes nothing until resumed
  });

  it('takes over within two ticks of the lease running out when its holder stops (a crashed server)', async () => {
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
