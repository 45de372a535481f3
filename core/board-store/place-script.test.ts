import { describe, expect, it } from 'vitest';
import { PLACE_PIXELS_LUA, packPixelRecords, placeOutcome, placeReplies, REPLY_WIDTH } from './place-script.ts';
import { decodePixelBatch, encodeBatchFromRecords, PIXEL_RECORD_BYTES, batchToUpdates } from '../protocol/pixel-batch.ts';

const request = { x: 3, y: 4, color: 5, userId: 'u1', now: 1_000, ip: '10.0.0.1' };

describe('the write script\'s flat reply', () => {
  it('is split into one reply per write, each read as its outcome', () => {
    const flat = ['placed', 7, 1_000_000, -1, 300_000, 'cooldown', 1234, null, null, null, 'closed', 'paused', null, null, null];
    const replies = placeReplies(flat, 3)!;
    expect(replies.map((r) => placeOutcome(request, r))).toEqual([
      { status: 'placed', placement: { seq: 7, x: 3, y: 4, color: 5, userId: 'u1', placedAt: 1_000, version: 1_000_000 }, oldestPendingAt: null, cooldownMs: 300_000 },
      { status: 'cooldown', retryAfterMs: 1234 },
      { status: 'closed', state: 'paused', message: null, opensAt: null },
    ]);
  });

  it('that does not hold a reply for every write is refused', () => {
    expect(placeReplies(['placed', 7, 1, -1, 1], 2)).toBeNull();
    expect(placeReplies(['placed', 7, 1, -1], 1)).toBeNull();
  });

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
