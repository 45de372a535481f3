import { describe, expect, it } from 'vitest';
import { Broadcaster } from './broadcaster.ts';
import { EmbeddedBoardStore } from '../core/board-store/embedded-board-store.ts';
import { createBoard } from '../core/domain/board-codec.ts';
import { batchToUpdates, decodePixelBatch, encodePixelBatch } from '../core/protocol/pixel-batch.ts';

const size = { width: 10, height: 10 };

async function setup() {
  const store = new EmbeddedBoardStore({ size, rules: { cooldownMs: 0, placementsPerIp: 1000 }, sessionsPerIpPerHour: 1, updatesKept: 100 });
  await store.restore({ board: createBoard(size), seq: 0, version: 0 }, [], Date.now());
  const frames: number[][] = [];
  const resyncs: number[] = [];
  const resets: [number, number][] = [];
  const resizes: [number, number, number][] = [];
  const b = new Broadcaster(store, {
    frame: (batch) => frames.push(batchToUpdates(decodePixelBatch(batch)).map((u) => u.seq)),
    resync: (seq) => resyncs.push(seq),
    reset: (epoch, seq) => resets.push([epoch, seq]),
    resize: (width, height, seq) => resizes.push([width, height, seq]),
  }, { gapWaitMs: 50 });
  await b.start(size);
  const place = async (n: number) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const r = await store.place({ x: i % 10, y: 0, color: 1, userId: `u${i}`, ip: 'i', now: Date.now() });
      if (r.status === 'placed') out.push(r.placement);
    }
    return out;
  };
  return { store, b, frames, resyncs, resets, resizes, place };
}

describe('broadcaster', () => {
  it('sends everything ready in one tick as one consecutive frame', async () => {
    const { b, frames, place } = await setup();
    for (const p of await place(3)) b.ingest(encodePixelBatch([p]));
    b.tick();
    expect(frames).toEqual([[1, 2, 3]]);
  });

  it('holds back updates after a gap, then fetches the missing ones from the store', async () => {
    const { b, frames, place } = await setup();
    const [p1, , p3] = await place(3);
    b.ingest(encodePixelBatch([p1!]));
    b.ingest(encodePixelBatch([p3!])); // seq 2 was lost on the way
    b.tick(1000);
    expect(frames).toEqual([[1]]);
    b.tick(1060); // the gap has stood past gapWaitMs: repair
    await expect.poll(() => { b.tick(); return frames.flat(); }).toEqual([1, 2, 3]);
  });

  it('ignores updates already sent and reports a resync when missing updates are gone for good', async () => {
    const { b, frames, resyncs, place, store } = await setup();
    const first = await place(1);
    b.ingest(encodePixelBatch(first));
    b.tick();
    b.ingest(encodePixelBatch(first));
    b.tick();
    expect(frames).toEqual([[1]]);
    const later = await place(300); // only the last 100 are kept
    b.ingest(encodePixelBatch([later.at(-1)!]));
    await b.resync();
    expect(resyncs).toEqual([300]);
    b.tick();
    expect(frames.at(-1)).toEqual([301]);
    expect((await store.head())?.seq).toBe(301);
  });

  it('on a board reset drops what was waiting from the old board and continues after the restored seq', async () => {
    const { b, frames, resets, place, store } = await setup();
    const [p1, , p3] = await place(3);
    b.ingest(encodePixelBatch([p1!]));
    b.ingest(encodePixelBatch([p3!]));
    b.tick();
    const head = await store.restore({ board: createBoard(size), seq: 1, version: 0 }, [], Date.now());
    b.reset(head.epoch, head.seq);
    expect(resets).toEqual([[head.epoch, 1]]);
    expect(b.epoch).toBe(head.epoch);
    const [next] = await place(1);
    b.ingest(encodePixelBatch([next!]));
    b.tick();
    expect(frames).toEqual([[1], [2]]);
  });

  it('notices a restore it missed while the feed was away, by its epoch, when asked to resync', async () => {
    const { b, resets, store } = await setup();
    const head = await store.restore({ board: createBoard(size), seq: 7, version: 0 }, [], Date.now());
    await b.resync();
    expect(resets).toEqual([[head.epoch, 7]]);
    expect(b.lastSeq).toBe(7);
  });

  it('passes a resize on once, and notices one it missed while the feed was away when asked to resync', async () => {
    const { b, resizes, store } = await setup();
    expect(b.size).toEqual(size);
    b.resize(12, 10, 0);
    b.resize(12, 10, 0);
    expect(resizes).toEqual([[12, 10, 0]]);
    await store.resize({ width: 20, height: 16 });
    await b.resync();
    expect(resizes).toEqual([[12, 10, 0], [20, 16, 0]]);
    expect(b.size).toEqual({ width: 20, height: 16 });
  });
});
