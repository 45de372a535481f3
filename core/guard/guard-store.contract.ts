// One suite for every GuardStore adapter: the embedded one and Redis must behave alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuardStore } from './guard-store.ts';

export function describeGuardStoreContract(name: string, open: () => Promise<GuardStore>): void {
  describe(`${name} guard store contract`, () => {
    let store: GuardStore;
    beforeEach(async () => { store = await open(); });
    afterEach(async () => store.close());

    it('lets a solution or login state be used once: a replay, even at the same moment, is refused', async () => {
      const until = Date.now() + 60_000;
      const tries = await Promise.all(Array.from({ length: 20 }, () => store.spendOnce('sig-a', until)));
      expect(tries.filter(Boolean)).toHaveLength(1);
      expect(await store.spendOnce('sig-a', until)).toBe(false);
      expect(await store.spendOnce('sig-b', until)).toBe(true);
    });

    it('forgets a used id once it has expired (the solution it stood for has expired too)', async () => {
      expect(await store.spendOnce('short', Date.now() + 1100)).toBe(true);
      await new Promise((r) => setTimeout(r, 1400));
      expect(await store.spendOnce('short', Date.now() + 1100)).toBe(true);
    });

    it('spends each credit once however many sessions of one account place at the same moment', async () => {
      await store.grantCredits('u1', 0, 10, 60_000);
      const taken = await Promise.all(Array.from({ length: 50 }, () => store.takeCredit('u1', 0)));
      expect(taken.filter((l) => l !== null)).toHaveLength(10);
      expect(await store.takeCredit('u1', 0)).toBeNull();
      await store.refundCredit('u1', 0);
      expect(await store.takeCredit('u1', 0)).toBe(0);
      expect(await store.takeCredit('u2', 0)).toBeNull();
    });

    it('a credit bought at a level serves that level and below, never a higher one; a new grant replaces the old', async () => {
      await store.grantCredits('u3', 0, 5, 60_000);
      expect(await store.takeCredit('u3', 1)).toBeNull();
      await store.grantCredits('u3', 2, 1, 60_000);
      expect(await store.takeCredit('u3', 1)).toBe(2);
      expect(await store.takeCredit('u3', 1)).toBeNull();
      expect(await store.takeCredit('u3', 0)).toBe(0);
      await store.grantCredits('u3', 0, 1, 60_000);
      expect(await store.takeCredit('u3', 0)).toBe(0);
      expect(await store.takeCredit('u3', 0)).toBeNull();
    });

    it('counts placements per window, the fresh ones apart', async () => {
      const w = 1_000_000 * Math.floor(Date.now() / 1_000_000);
      await Promise.all([store.countPlacements(w, 1, 1, 60_000), store.countPlacements(w, 5, 0, 60_000), store.countPlacements(w + 1, 1, 0, 60_000)]);
      expect(await store.placementCounts([w, w + 1, w + 2])).toEqual([{ all: 6, fresh: 1 }, { all: 1, fresh: 0 }, { all: 0, fresh: 0 }]);
      expect(await store.placementCounts([])).toEqual([]);
    });

    it('keeps the defence level for every process to read', async () => {
      expect((await store.defenceState()).level).toBe(0);
      await store.setDefenceState({ level: 2, since: 1234 });
      expect(await store.defenceState()).toEqual({ level: 2, since: 1234 });
    });
  });
}
