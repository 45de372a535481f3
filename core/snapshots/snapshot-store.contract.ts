// One suite for every SnapshotStore adapter.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SnapshotStore } from './snapshot-store.ts';

export function describeSnapshotStoreContract(name: string, open: () => Promise<{ store: SnapshotStore; close(): Promise<void> }>): void {
  describe(`${name} snapshot store contract`, () => {
    let fixture: { store: SnapshotStore; close(): Promise<void> };
    let store: SnapshotStore;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => fixture.close());

    it('lists nothing before the first snapshot', async () => {
      expect(await store.list()).toEqual([]);
    });

    it('keeps a board at a seq and gives back the same bytes, listed by seq', async () => {
      const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 256);
      await store.put({ bytes: new Uint8Array(5000), seq: 1_000_000, epoch: 3, at: 1_795_000_100_000, width: 100, height: 100 });
      const meta = await store.put({ bytes, seq: 42, epoch: 3, at: 1_795_000_000_000, width: 100, height: 100 });
      expect(meta).toMatchObject({ seq: 42, epoch: 3, at: 1_795_000_000_000, width: 100, height: 100 });
      const listed = await store.list();
      expect(listed.map((m) => m.seq)).toEqual([42, 1_000_000]);
      expect(Buffer.from(await store.read(listed[0]!)).equals(Buffer.from(bytes))).toBe(true);
    });
  });
}
