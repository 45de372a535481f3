// One suite for every Presence adapter.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Presence } from './presence.ts';

export const CONTRACT_STALE_MS = 1000;

/** `open` must build a presence whose reports go stale after CONTRACT_STALE_MS. */
export function describePresenceContract(name: string, open: () => Promise<{ presence: Presence; close(): Promise<void> }>): void {
  describe(`${name} presence contract`, () => {
    let fixture: { presence: Presence; close(): Promise<void> };
    let presence: Presence;
    beforeEach(async () => {
      fixture = await open();
      presence = fixture.presence;
    });
    afterEach(async () => fixture.close());

    it('sums the latest count of every server', async () => {
      await presence.report('a', 3, 10_000);
      await presence.report('b', 4, 10_000);
      await presence.report('a', 5, 10_100);
      expect(await presence.total(10_200)).toBe(9);
    });

    it('stops counting a server whose report went stale, and a server that reported 0', async () => {
      await presence.report('a', 3, 10_000);
      await presence.report('b', 4, 10_000 + CONTRACT_STALE_MS);
      expect(await presence.total(10_000 + CONTRACT_STALE_MS + 1)).toBe(4);
      await presence.report('b', 0, 10_000 + CONTRACT_STALE_MS + 2);
      expect(await presence.total(10_000 + CONTRACT_STALE_MS + 3)).toBe(0);
    });

    it('follows each server\'s new count from one ask to the next', async () => {
      await presence.report('a', 3, 10_000);
      await presence.report('b', 4, 10_000);
      expect(await presence.total(10_001)).toBe(7);
      await presence.report('a', 5, 10_002);
      expect(await presence.total(10_003)).toBe(9);
      await presence.report('b', 1, 10_004);
      await presence.report('c', 2, 10_004);
      expect(await presence.total(10_005)).toBe(8);
    });

    it('is 0 when nobody reported', async () => {
      expect(await presence.total(1)).toBe(0);
    });
  });
}
