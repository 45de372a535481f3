import { afterEach, describe, expect, it } from 'vitest';
import { watchTaskStop } from './task-stop-watch.ts';
import { startTaskMetadata, type TaskMetadataServer } from '../test-support/task-metadata.ts';
import { waitUntil } from '../test-support/sync-clients.ts';

describe('task stop watch (ECS task metadata v4)', () => {
  let meta: TaskMetadataServer;
  let watch: { stop(): void } | null = null;
  afterEach(async () => {
    watch?.stop();
    await meta.close();
  });

  it('calls onStopping once, when the desired status turns STOPPED, and then stops asking', async () => {
    meta = await startTaskMetadata();
    let calls = 0;
    watch = watchTaskStop({ metadataUrl: meta.url, everyMs: 10, onStopping: () => calls++ });
    await waitUntil('a few polls', () => meta.requests >= 5);
    expect(calls).toBe(0);
    meta.desiredStatus = 'STOPPED';
    await waitUntil('onStopping', () => calls === 1);
    const asked = meta.requests;
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(1);
    expect(meta.requests).toBe(asked);
  });

  it('keeps polling through failures of the endpoint and still sees the stop', async () => {
    meta = await startTaskMetadata();
    meta.failWith = 500;
    let calls = 0;
    watch = watchTaskStop({ metadataUrl: `${meta.url}/`, everyMs: 10, onStopping: () => calls++ });
    await waitUntil('failed polls', () => meta.requests >= 5);
    meta.failWith = null;
    meta.desiredStatus = 'STOPPED';
    await waitUntil('onStopping', () => calls === 1);
  });
});
