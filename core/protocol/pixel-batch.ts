// The pixel-batch layout, the one binary format on the wire: `GET /api/pixels?since=`, every
// WebSocket frame, and (the records of one script call) what the Redis write script keeps in its
// stream. Little-endian: u8 type = 1, u32 firstSeq, u16 count, then count pixel records of
// u16 x, u16 y, u8 color, for the consecutive seqs firstSeq … firstSeq + count − 1.
// The Lua script writes the same bytes with struct.pack; a Redis test checks they decode here.

export const PIXEL_BATCH_TYPE = 1;
export const BATCH_HEADER_BYTES = 7;
export const PIXEL_RECORD_BYTES = 5;
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
  /** The pixel records, PIXEL_RECORD_BYTES each, as they are on the wire (no copy). */
  records: Uint8Array;
}

export function encodedBatchLength(count: number): number {
  return BATCH_HEADER_BYTES + count * PIXEL_RECORD_BYTES;
}

/** Writes one pixel record at `offset`. */
export function writePixelRecord(target: Uint8Array, offset: number, x: number, y: number, color: number): void {
  target[offset] = x & 0xff;
  target[offset + 1] = x >> 8;
  target[offset + 2] = y & 0xff;
  target[offset + 3] = y >> 8;
  target[offset + 4] = color;
}

export function encodePixelRecord(x: number, y: number, color: number): Uint8Array {
  const out = new Uint8Array(PIXEL_RECORD_BYTES);
  writePixelRecord(out, 0, x, y, color);
  return out;
}

/** Reads the record at byte `offset` of `records`. */
export function readPixelRecord(records: Uint8Array, offset = 0): { x: number; y: number; color: number } {
  return { x: records[offset]! | (records[offset + 1]! << 8), y: records[offset + 2]! | (records[offset + 3]! << 8), color: records[offset + 4]! };
}

function writeHeader(out: Uint8Array, firstSeq: number, count: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint8(0, PIXEL_BATCH_TYPE);
  view.setUint32(1, firstSeq, true);
  view.setUint16(5, count, true);
}

/** Encodes a run of updates with consecutive seqs; throws if the run has a gap. */
export function encodePixelBatch(updates: readonly PixelUpdate[], firstSeqIfEmpty = 0): Uint8Array {
  if (updates.length > MAX_BATCH_PIXELS) throw new RangeError(`a batch holds at most ${MAX_BATCH_PIXELS} pixels`);
  const out = new Uint8Array(encodedBatchLength(updates.length));
  const firstSeq = updates[0]?.seq ?? firstSeqIfEmpty;
  writeHeader(out, firstSeq, updates.length);
  updates.forEach((u, i) => {
    if (u.seq !== firstSeq + i) throw new RangeError(`batch is not consecutive at seq ${u.seq}`);
    writePixelRecord(out, BATCH_HEADER_BYTES + i * PIXEL_RECORD_BYTES, u.x, u.y, u.color);
  });
  return out;
}

/**
 * Builds a batch from records already in wire form, for firstSeq, firstSeq + 1, …: chunks of
 * whole records (one each, or a Redis stream entry's run), one copy each.
 */
export function encodeBatchFromRecords(firstSeq: number, chunks: readonly Uint8Array[]): Uint8Array {
  let bytes = 0;
  for (const chunk of chunks) {
    if (chunk.length % PIXEL_RECORD_BYTES !== 0) throw new RangeError(`records come in ${PIXEL_RECORD_BYTES}-byte units, not ${chunk.length} bytes`);
    bytes += chunk.length;
  }
  const count = bytes / PIXEL_RECORD_BYTES;
  if (count > MAX_BATCH_PIXELS) throw new RangeError(`a batch holds at most ${MAX_BATCH_PIXELS} pixels`);
  const out = new Uint8Array(encodedBatchLength(count));
  writeHeader(out, firstSeq, count);
  let offset = BATCH_HEADER_BYTES;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export class BatchFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchFormatError';
  }
}

/** Type, firstSeq and count of a batch starting at `offset`, without checking its length (for counting frames cheaply). */
export function peekBatchHeader(bytes: Uint8Array, offset = 0): { firstSeq: number; count: number } | null {
  if (bytes.length < offset + BATCH_HEADER_BYTES || bytes[offset] !== PIXEL_BATCH_TYPE) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, BATCH_HEADER_BYTES);
  return { firstSeq: view.getUint32(1, true), count: view.getUint16(5, true) };
}

export function decodePixelBatch(bytes: Uint8Array): PixelBatch {
  if (bytes.length < BATCH_HEADER_BYTES) throw new BatchFormatError('batch shorter than its header');
  if (bytes[0] !== PIXEL_BATCH_TYPE) throw new BatchFormatError(`unknown frame type ${bytes[0]}`);
  const { firstSeq, count } = peekBatchHeader(bytes)!;
  if (bytes.length !== encodedBatchLength(count)) throw new BatchFormatError('batch length does not match its count');
  return { firstSeq, count, records: bytes.subarray(BATCH_HEADER_BYTES) };
}

/** The record of pixel `i` of a batch, in wire form (no copy). */
export function pixelRecordAt(batch: PixelBatch, i: number): Uint8Array {
  return batch.records.subarray(i * PIXEL_RECORD_BYTES, (i + 1) * PIXEL_RECORD_BYTES);
}

/** Visits every pixel of a batch with its seq, in order. */
export function forEachPixel(batch: PixelBatch, visit: (seq: number, x: number, y: number, color: number) => void): void {
  const r = batch.records;
  for (let i = 0, o = 0; i < batch.count; i++, o += PIXEL_RECORD_BYTES) {
    visit(batch.firstSeq + i, r[o]! | (r[o + 1]! << 8), r[o + 2]! | (r[o + 3]! << 8), r[o + 4]!);
  }
}

export function batchToUpdates(batch: PixelBatch): PixelUpdate[] {
  const out: PixelUpdate[] = [];
  forEachPixel(batch, (seq, x, y, color) => out.push({ seq, x, y, color }));
  return out;
}
