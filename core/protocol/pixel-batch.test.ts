import { describe, expect, it } from 'vitest';
import {
  BatchFormatError, batchToUpdates, decodePixelBatch, encodeBatchFromRecords, encodePixelBatch, encodePixelRecord, forEachPixel, peekBatchHeader,
  pixelRecordAt, readPixelRecord,
} from './pixel-batch.ts';
import { decodeFeedMessage, encodeFeedReset, encodeFeedResize } from './feed.ts';

describe('pixel batch layout', () => {
  it('encodes type 1, u32 firstSeq, u16 count and 5-byte little-endian pixels', () => {
    const bytes = encodePixelBatch([{ seq: 0x01020304, x: 999, y: 258, color: 15 }]);
    expect(Array.from(bytes)).toEqual([1, 4, 3, 2, 1, 1, 0, 0xe7, 0x03, 0x02, 0x01, 15]);
  });

  it('round-trips a consecutive run', () => {
    const updates = [{ seq: 7, x: 1, y: 2, color: 3 }, { seq: 8, x: 4, y: 5, color: 6 }];
    expect(batchToUpdates(decodePixelBatch(encodePixelBatch(updates)))).toEqual(updates);
  });

  it('refuses to encode a run with a gap', () => {
    expect(() => encodePixelBatch([{ seq: 1, x: 0, y: 0, color: 0 }, { seq: 3, x: 0, y: 0, color: 0 }])).toThrow(RangeError);
  });

  it('rejects frames of the wrong type or length', () => {
    expect(() => decodePixelBatch(new Uint8Array([2, 0, 0, 0, 0, 0, 0]))).toThrow(BatchFormatError);
    expect(() => decodePixelBatch(new Uint8Array([1, 1, 0, 0, 0, 1, 0]))).toThrow(BatchFormatError);
    expect(() => decodePixelBatch(new Uint8Array([1]))).toThrow(BatchFormatError);
  });

  it('builds a frame from records in wire form equal to encoding the updates', () => {
    const updates = [{ seq: 41, x: 300, y: 2, color: 9 }, { seq: 42, x: 0, y: 65535, color: 15 }];
    const fromRecords = encodeBatchFromRecords(41, updates.map((u) => encodePixelRecord(u.x, u.y, u.color)));
    expect(Array.from(fromRecords)).toEqual(Array.from(encodePixelBatch(updates)));
    const batch = decodePixelBatch(fromRecords);
    expect(readPixelRecord(pixelRecordAt(batch, 1))).toEqual({ x: 0, y: 65535, color: 15 });
    const seen: number[][] = [];
    forEachPixel(batch, (seq, x, y, color) => seen.push([seq, x, y, color]));
    expect(seen).toEqual([[41, 300, 2, 9], [42, 0, 65535, 15]]);
  });

  it('builds a frame from runs of several records (a Redis stream entry\'s), and refuses a run cut inside a record', () => {
    const updates = [1, 2, 3, 4, 5].map((i) => ({ seq: 9 + i, x: i, y: 2 * i, color: i }));
    const records = updates.map((u) => encodePixelRecord(u.x, u.y, u.color));
    const run = new Uint8Array([...records[0]!, ...records[1]!, ...records[2]!]);
    expect(Array.from(encodeBatchFromRecords(10, [run, records[3]!, records[4]!]))).toEqual(Array.from(encodePixelBatch(updates)));
    expect(() => encodeBatchFromRecords(10, [run.subarray(0, 7)])).toThrow(RangeError);
  });

  it('reads a header in place, and nothing from what is not a batch', () => {
    const bytes = new Uint8Array([0xaa, ...encodePixelBatch([{ seq: 7, x: 1, y: 2, color: 3 }])]);
    expect(peekBatchHeader(bytes, 1)).toEqual({ firstSeq: 7, count: 1 });
    expect(peekBatchHeader(bytes, 0)).toBeNull();
  });

  it('tells feed batches, resets, resizes and anything else apart', () => {
    expect(decodeFeedMessage(encodePixelBatch([{ seq: 1, x: 0, y: 0, color: 0 }]))).toEqual({ type: 'batch' });
    expect(decodeFeedMessage(encodeFeedReset(1_795_000_000_123, 42))).toEqual({ type: 'reset', epoch: 1_795_000_000_123, seq: 42 });
    expect(decodeFeedMessage(encodeFeedResize(3000, 2000, 4_000_000_000))).toEqual({ type: 'resize', width: 3000, height: 2000, seq: 4_000_000_000 });
    expect(decodeFeedMessage(new Uint8Array([0]))).toEqual({ type: 'resync' });
  });
});
