import { describe, expect, it } from 'vitest';
import { BatchFormatError, batchToUpdates, decodePixelBatch, encodePixelBatch } from './pixel-batch.ts';

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
});
