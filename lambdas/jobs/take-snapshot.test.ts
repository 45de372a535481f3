// The scheduled snapshot function: it keeps the live board (bytes and seq) where a restore looks
// for it, takes none without failing while there is no board, and throws when the snapshot
// cannot be kept (so Lambda's Errors alarm and its retries see it).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../../test-support/service-fixture.ts';
import { ApiClient } from '../../test-support/api-client.ts';
import { FileSnapshotStore } from '../../core/snapshots/file-snapshot-store.ts';
import { createBoardStore } from '../../core/service/services.ts';
import { provideServices } from '../runtime.ts';
import { handler } from './take-snapshot.ts';

describe('take-snapshot (the scheduled function)', () => {
  let f: ServiceFixture;
  beforeAll(async () => { f = await startServiceFixture('embedded', { env: { BOARD_WIDTH: '20', BOARD_HEIGHT: '10', SNAPSHOT_INTERVAL_MS: '0' } }); });
  afterAll(async () => f?.close());

  it('keeps the live board, byte for byte at its seq, where a restore finds it', async () => {
    const user = await new ApiClient(f.url).startSession();
    expect((await user.place(3, 4, 5)).status).toBe(201);
    const live = await user.board();
    const result = await handler({}, { awsRequestId: 'scheduled-1' });
    expect(result).toMatchObject({ taken: true, seq: live.seq });
    const kept = new FileSnapshotStore(path.join(f.config.dataDir, 'snapshots'));
    const meta = (await kept.list()).find((m) => m.seq === live.seq);
    expect(meta).toMatchObject({ width: 20, height: 10 });
    expect(Buffer.from(await kept.read(meta!)).equals(Buffer.from(live.bytes))).toBe(true);
  });

  it('throws when the snapshot cannot be kept', async () => {
    const failing = { ...f.services.snapshots, put: () => Promise.reject(new Error('S3 put failed: Access Denied')) };
    provideServices({ ...f.services, snapshots: failing });
    try {
      await expect(handler({}, { awsRequestId: 'scheduled-2' })).rejects.toThrow(/Access Denied/);
    } finally {
      provideServices(f.services);
    }
  });

  it('takes none, and does not fail, while there is no board yet', async () => {
    const empty = await createBoardStore(f.config);
    provideServices({ ...f.services, store: empty });
    try {
      expect(await handler({}, { awsRequestId: 'scheduled-3' })).toEqual({ taken: false, reason: 'no board' });
    } finally {
      provideServices(f.services);
      await empty.close();
    }
  });
});
