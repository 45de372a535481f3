import { describe, expect, it } from 'vitest';
import { EmbeddedBoardStore } from './embedded-board-store.ts';
import { FeedRelay } from './feed-relay.ts';
import { createBoard } from '../domain/board-codec.ts';
import { batchToUpdates, decodePixelBatch } from '../protocol/pixel-batch.ts';

const size = { width: 10, height: 10 };

async function setup() {
  const store = new EmbeddedBoardStore({ size, rules: { cooldownMs: 0, placementsPerIp: 1e9 }, sessionsPerIpPerHour: 1, updatesKept: 1000 });
  await store.restore({ board: createBoard(size), seq: 0, version: 0 }, [], Date.now());
  const published: number[][] = [];
  const source = Object.assign(store, { publishBatch: async (b: Uint8Array) => { published.push(batchToUpdates(decodePixelBatch(b)).map((u) => u.seq)); } });
  const place = async (n: number) => { for (let i = 0; i < n; i++) await store.place({ x: i % 10, y: 0, color: 1, userId: `u${i}`, ip: 'i', now: Date.now() }); };
  return { store, source, published, place };
}

describe('feed relay', () => {
  it('publishes what is new as one consecutive batch per tick, and nothing when nothing is new', async () => {
    const { source, published, place } = await setup();
    const relay = new FeedRelay(source, { tickMs: 50, leaseMs: 1000, pageSize: 1000 }, () => 0);
    await place(3);
    await relay.tick();
    await relay.tick();
    await place(2);
    await relay.tick();
    expect(published).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('hands each batch to its own server before publishing it, so its clients need not wait for the echo', async () => {
    const { source, published, place } = await setup();
    const order: string[] = [];
    const publish = source.publishBatch;
    source.publishBatch = async (b) => { order.push('published'); await publish(b); };
    const relay = new FeedRelay(source, { tickMs: 50, leaseMs: 1000, pageSize: 1000 }, () => 0,
      (b) => order.push(`relayed ${batchToUpdates(decodePixelBatch(b)).map((u) => u.seq).join(',')}`));
    await place(2);
    await relay.tick();
    expect(order).toEqual(['relayed 1,2', 'published']);
    expect(published).toEqual([[1, 2]]);
  });

  it('lets one server relay at a time; another takes over within a tick of its letting go, from its own feed position', async () => {
    const { source, published, place } = await setup();
    const first = new FeedRelay(source, { tickMs: 50, leaseMs: 100, pageSize: 1000 }, () => 0);
    const second = new FeedRelay(source, { tickMs: 50, leaseMs: 100, pageSize: 1000 }, () => 2);
    await place(3);
    await first.tick();
    await second.tick();
    expect([first.leading, second.leading]).toEqual([true, false]);
    await first.stop(); // a draining server lets go of the lease, and the others hear of it
    await place(1);
    await second.tick(Date.now() + 50); // within a tick (its jitter), not when the lease would have run out
    expect(second.leading).toBe(true);
    expect(published).toEqual([[1, 2, 3], [3, 4]]); // seq 3 twice: subscribers ignore what they have
  });

  it('pages through a long backlog, and after a restore continues from the restored board', async () => {
    const { store, source, published, place } = await setup();
    const relay = new FeedRelay(source, { tickMs: 50, leaseMs: 1000, pageSize: 4 }, () => 0);
    await place(10);
    await relay.tick();
    expect(published).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
    await store.restore({ board: createBoard(size), seq: 5, version: 0 }, [], Date.now());
    await relay.tick();
    await place(1);
    await relay.tick();
    expect(published.at(-1)).toEqual([6]);
  });
});
