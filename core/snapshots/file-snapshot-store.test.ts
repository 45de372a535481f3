import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileSnapshotStore } from './file-snapshot-store.ts';
import { describeSnapshotStoreContract } from './snapshot-store.contract.ts';
import { snapshotAtOrBefore } from './snapshot-store.ts';
import { tempDir } from '../../test-support/test-services.ts';

describeSnapshotStoreContract('file', async () => ({ store: new FileSnapshotStore(path.join(tempDir('snapshots'), 'snapshots')), close: async () => {} }));

describe('file snapshot store', () => {
  it('ignores files that are not whole snapshots (a write cut short leaves only a temporary name)', async () => {
    const dir = tempDir('snapshots');
    writeFileSync(path.join(dir, '.000000000001-1795000000000-1-10x10.bin.gz.tmp'), 'partial');
    writeFileSync(path.join(dir, 'notes.txt'), 'x');
    expect(await new FileSnapshotStore(dir).list()).toEqual([]);
  });

  it('finds the newest snapshot taken at or before a moment', () => {
    const all = [10, 20, 30].map((seq) => ({ seq, at: seq * 1000, epoch: 1, width: 1, height: 1, key: String(seq) }));
    expect(snapshotAtOrBefore(all, 25_000)?.seq).toBe(20);
    expect(snapshotAtOrBefore(all, 5_000)).toBeNull();
  });
});
