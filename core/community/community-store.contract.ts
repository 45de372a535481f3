// One suite for every CommunityStore adapter: the embedded one and Redis must behave alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_PIXEL, type CommunityStore, type GriefEvent, type TrackedTemplate } from './community-store.ts';

export interface CommunityFixture {
  store: CommunityStore;
  close(): Promise<void>;
}

export function trackedTemplate(id: string, over: Partial<TrackedTemplate> = {}): TrackedTemplate {
  return { id, name: `t ${id}`, x: 1, y: 2, width: 2, height: 2, pixels: 3, createdAt: 1_795_000_000_000, target: Uint8Array.from([1, 2, NO_PIXEL, 4]), ...over };
}

export function describeCommunityStoreContract(name: string, open: () => Promise<CommunityFixture>): void {
  describe(`${name} community store contract`, () => {
    let fixture: CommunityFixture;
    let store: CommunityStore;
    const now = 1_795_000_000_000;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => fixture.close());

    it('keeps registered templates with their targets, and moves its version with each', async () => {
      const v0 = await store.version();
      await store.register(trackedTemplate('aaaaaaaaaaa'));
      await store.register(trackedTemplate('bbbbbbbbbbb', { x: 9 }));
      expect(await store.version()).toBe(v0 + 2);
      const all = await store.tracked();
      expect(all.map((t) => t.id).sort()).toEqual(['aaaaaaaaaaa', 'bbbbbbbbbbb']);
      expect(Array.from(all.find((t) => t.id === 'aaaaaaaaaaa')!.target)).toEqual([1, 2, NO_PIXEL, 4]);
      expect((await store.tracked(['bbbbbbbbbbb', 'nonexistent']))).toHaveLength(1);
      expect((await store.ids()).sort()).toEqual(['aaaaaaaaaaa', 'bbbbbbbbbbb']);
      expect(await store.meta('bbbbbbbbbbb')).toMatchObject({ x: 9, pixels: 3, name: 't bbbbbbbbbbb' });
      expect(await store.meta('nonexistent')).toBeNull();
    });

    it('has no count for a template until a tracker commits one; then counts follow sets and adds', async () => {
      await store.register(trackedTemplate('aaaaaaaaaaa'));
      expect(await store.counts('aaaaaaaaaaa', now)).toEqual({ correct: null, seq: null, griefedLastHour: 0 });
      const lease = (await store.tryLease(10_000)).lease!;
      expect(await store.commit(lease, { set: new Map([['aaaaaaaaaaa', 2]]), cursor: { seq: 10, epoch: 1 }, at: now })).toBe(true);
      expect(await store.commit(lease, { add: new Map([['aaaaaaaaaaa', -1]]), cursor: { seq: 12, epoch: 1 }, at: now })).toBe(true);
      expect(await store.counts('aaaaaaaaaaa', now)).toEqual({ correct: 1, seq: 12, griefedLastHour: 0 });
      expect(await store.cursor()).toEqual({ seq: 12, epoch: 1 });
      await store.commit(lease, { set: new Map([['bbbbbbbbbbb', 5]]), replaceAll: true, cursor: { seq: 13, epoch: 2 }, at: now });
      expect((await store.counts('aaaaaaaaaaa', now)).correct).toBeNull();
      expect((await store.counts('bbbbbbbbbbb', now)).correct).toBe(5);
    });

    it('counts griefs of the last hour only', async () => {
      const lease = (await store.tryLease(10_000)).lease!;
      await store.commit(lease, { set: new Map([['aaaaaaaaaaa', 0]]), griefs: new Map([['aaaaaaaaaaa', 3]]), cursor: { seq: 1, epoch: 1 }, at: now - 3_600_000 });
      await store.commit(lease, { griefs: new Map([['aaaaaaaaaaa', 2]]), cursor: { seq: 2, epoch: 1 }, at: now - 59 * 60_000 });
      await store.commit(lease, { griefs: new Map([['aaaaaaaaaaa', 1]]), cursor: { seq: 3, epoch: 1 }, at: now });
      expect((await store.counts('aaaaaaaaaaa', now)).griefedLastHour).toBe(3);
    });

    it('refuses a commit from a lease that was lost, changing nothing', async () => {
      const first = (await store.tryLease(50)).lease!;
      const taken = await store.tryLease(10_000);
      expect(taken.lease).toBeNull();
      expect(taken.heldForMs).toBeGreaterThan(0); // how long a follower waits before asking again
      expect(taken.heldForMs).toBeLessThanOrEqual(50);
      await new Promise((r) => setTimeout(r, 80));
      const second = (await store.tryLease(10_000)).lease!;
      expect(second).not.toBeNull();
      expect(await first.renew(10_000)).toBe(false);
      expect(await store.commit(first, { set: new Map([['aaaaaaaaaaa', 7]]), cursor: { seq: 99, epoch: 1 }, at: now })).toBe(false);
      expect(await store.cursor()).toBeNull();
      expect(await store.commit(second, { set: new Map([['aaaaaaaaaaa', 1]]), cursor: { seq: 5, epoch: 1 }, at: now })).toBe(true);
      expect((await store.counts('aaaaaaaaaaa', now)).correct).toBe(1);
    });

    it('delivers published grief events to subscribers', async () => {
      const got: GriefEvent[] = [];
      const sub = await store.subscribeGriefs((e) => got.push(e));
      const event: GriefEvent = { template: 'aaaaaaaaaaa', count: 2, pixels: [[1, 2], [3, 4]], seq: 9 };
      await store.publishGriefs([event]);
      await expect.poll(() => got).toEqual([event]);
      await sub.close();
    });

    it('caps uses per key in any window, across a clock minute\'s edge too, and says when the next one fits', async () => {
      const edge = 1_795_000_020_000; // a clock minute's edge (sliding-window.ts: buckets of 6 s)
      for (let i = 0; i < 3; i++) expect((await store.take('heavy', '1.2.3.4', 3, 60_000, edge - 3 + i)).allowed).toBe(true);
      // A counter per clock minute would admit three more just after the edge.
      expect(await store.take('heavy', '1.2.3.4', 3, 60_000, edge + 5)).toEqual({ allowed: false, retryAfterMs: 60_000 - 5 });
      expect((await store.take('heavy', '5.6.7.8', 3, 60_000, edge + 5)).allowed).toBe(true);
      expect((await store.take('other', '1.2.3.4', 3, 60_000, edge + 5)).allowed).toBe(true);
      expect((await store.take('heavy', '1.2.3.4', 3, 60_000, edge + 60_000 - 1)).allowed).toBe(false);
      for (let i = 0; i < 3; i++) expect((await store.take('heavy', '1.2.3.4', 3, 60_000, edge + 60_000)).allowed).toBe(true);
      expect(await store.take('heavy', '1.2.3.4', 3, 60_000, edge + 60_000)).toEqual({ allowed: false, retryAfterMs: 66_000 });
    });
  });
}
