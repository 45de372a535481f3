// The pixel-batch layout, shared by `GET /api/pixels?since=` and the WebSocket frames
// (little-endian): u8 type = 1, u32 firstSeq, u16 count, then count × (u16 x, u16 y, u8 color).
// The pixels carry consecutive sequence numbers firstSeq … firstSeq + count − 1.

export const PIXEL_BATCH_TYPE = 1;
export const BATCH_HEADER_BYTES = 7;
export const BATCH_PIXEL_BYTES = 5;
export const MAX_BATCH_PIXELS = 0xffff;

export interface PixelUpdate {
  seq: number;
  x: number;
  y: number;
  color: number;
}

export interface PixelBatch {
  firstSeq: number;
  count: number;
  /** The pixel records, BATCH_PIXEL_BYTES each, as they are on the wire (no copy). */
  records: Uint8Array;
}

export function encodedBatchLength(count: number): number {
  return BATCH_HEADER_BYTES + count * BATCH_PIXEL_BYTES;
}

/** Encodes a run of updates with consecutive seqs; throws if the run has a gap. */
export function encodePixelBatch(updates: readonly PixelUpdate[], firstSeqIfEmpty = 0): Uint8Array {
  if (updates.length > MAX_BATCH_PIXELS) throw new RangeError(`a batch holds at most ${MAX_BATCH_PIXELS} pixels`);
  const out = new Uint8Array(encodedBatchLength(updates.length));
  const view = new DataView(out.buffer);
  const firstSeq = updates[0]?.seq ?? firstSeqIfEmpty;
  view.setUint8(0, PIXEL_BATCH_TYPE);
  view.setUint32(1, firstSeq, true);
  view.setUint16(5, updates.length, true);
  updates.forEach((u, i) => {
    if (u.seq !== firstSeq + i) throw new RangeError(`batch is not consecutive at seq ${u.seq}`);
    const o = BATCH_HEADER_BYTES + i * BATCH_PIXEL_BYTES;
    view.setUint16(o, u.x, true);
    view.setUint16(o + 2, u.y, true);
    view.setUint8(o + 4, u.color);
  });
  return out;
}

export class BatchFormatError extends Error {}

export function decodePixelBatch(bytes: Uint8Array): PixelBatch {
  if (bytes.length < BATCH_HEADER_BYTES) throw new BatchFormatError('batch shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== PIXEL_BATCH_TYPE) throw new BatchFormatError(`unknown frame type ${view.getUint8(0)}`);
  const firstSeq = view.getUint32(1, true);
  const count = view.getUint16(5, true);
  if (bytes.length !== encodedBatchLength(count)) throw new BatchFormatError('batch length does not match its count');
  return { firstSeq, count, records: bytes.subarray(BATCH_HEADER_BYTES) };
}

export function batchToUpdates(batch: PixelBatch): PixelUpdate[] {
  const r = batch.records;
  return Array.from({ length: batch.count }, (_, i) => {
    const o = i * BATCH_PIXEL_BYTES;
    return { seq: batch.firstSeq + i, x: r[o]! | (r[o + 1]! << 8), y: r[o + 2]! | (r[o + 3]! << 8), color: r[o + 4]! };
  });
}
