import { describe, expect, it } from 'vitest';
import { PLACE_PIXELS_LUA, packPixelRecords } from './place-script.ts';
import { REPLY_WIDTH } from './place-replies.ts';
import { decodePixelBatch, encodeBatchFromRecords, PIXEL_RECORD_BYTES, batchToUpdates } from '../protocol/pixel-batch.ts';

describe('the write script\'s flat reply, as the Lua fills it', () => {
  it('is filled by the script REPLY_WIDTH slots a write, in every place it is filled', () => {
    const fills = PLACE_PIXELS_LUA.split('\n').filter((line) => line.includes('replies[at + 1]'));
    expect(fills.length).toBeGreaterThan(0);
    for (const line of fills) {
      const slots = [...line.matchAll(/replies\[at \+ (\d+)\]/g)].map((m) => Number(m[1]));
      expect(slots).toEqual(Array.from({ length: REPLY_WIDTH }, (_, i) => i + 1));
    }
    // Nothing else writes to the reply: every write's slots go through that one place.
    expect(PLACE_PIXELS_LUA.match(/replies\[[^\]]*\]\s*(,|=(?!=))/g)!.length).toBe(REPLY_WIDTH);
  });
});

describe('the pixel records a write call hands the script', () => {
  it('are the wire protocol\'s records, one per write in order, so a stream entry made of them decodes as the pixels placed', () => {
    const writes = [{ x: 0, y: 0, color: 0 }, { x: 2999, y: 1999, color: 15 }, { x: 256, y: 513, color: 7 }];
    const records = packPixelRecords(writes);
    expect(records.length).toBe(writes.length * PIXEL_RECORD_BYTES);
    const updates = batchToUpdates(decodePixelBatch(encodeBatchFromRecords(10, [records])));
    expect(updates).toEqual(writes.map((w, i) => ({ seq: 10 + i, ...w })));
  });
});
