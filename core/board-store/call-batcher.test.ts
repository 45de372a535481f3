import { describe, expect, it } from 'vitest';
import { CallBatcher } from './call-batcher.ts';

/** A batcher over a store that doubles numbers, remembering each batch it was sent. */
function doubler(lingerMs: number, max: number) {
  const batches: number[][] = [];
  const batcher = new CallBatcher<number, number>({ lingerMs, max }, async (inputs) => {
    batches.push(inputs);
    if (inputs.includes(-1)) throw new Error('the store refused the batch');
    return inputs.map((n) => n * 2);
  });
  return { batcher, batches };
}

describe('CallBatcher', () => {
  it('sends calls made in the same turn as one batch and gives each caller its own answer', async () => {
    const { batcher, batches } = doubler(0, 64);
    expect(await Promise.all([1, 2, 3].map((n) => batcher.call(n)))).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('sends a full batch at once, without waiting out the linger', async () => {
    const { batcher, batches } = doubler(60_000, 2);
    expect(await Promise.all([1, 2, 3, 4].map((n) => batcher.call(n)))).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1, 2], [3, 4]]);
  });

  it('holds a call for the linger, and drain() sends it and waits for its answer', async () => {
    const { batcher, batches } = doubler(60_000, 64);
    const waiting = batcher.call(5);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([]);
    await batcher.drain();
    expect(batches).toEqual([[5]]);
    await expect(waiting).resolves.toBe(10);
  });

  it('a failed batch fails every call in it, and only those', async () => {
    const { batcher } = doubler(0, 2);
    const calls = [1, -1, 3, 4].map((n) => batcher.call(n));
    await expect(calls[0]).rejects.toThrow('the store refused the batch');
    await expect(calls[1]).rejects.toThrow('the store refused the batch');
    expect(await Promise.all(calls.slice(2))).toEqual([6, 8]);
  });
});
