// Persistence for the one-command local run: an append-only file of binary records, flushed
// to disk (group commit) before a write is acknowledged and replayed at start.
import { open, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import type { Placement } from '../domain/placement.ts';
import type { BoardSize } from '../domain/board-codec.ts';
import { DataFormatError } from '../errors.ts';
import type { AreaPlacements, AreaQuery, PixelLog } from './pixel-log.ts';
import { countEvent, log } from '../observability/telemetry.ts';

// Record: u16 bodyLength | body | u32 crc32(body)
// body: u32 seq, u16 x, u16 y, u8 color, f64 placedAt, f64 version, utf8 userId
const FIXED_BODY = 4 + 2 + 2 + 1 + 8 + 8;

export function encodeRecord(p: Placement): Buffer {
  const user = Buffer.from(p.userId, 'utf8');
  const bodyLength = FIXED_BODY + user.length;
  const out = Buffer.allocUnsafe(2 + bodyLength + 4);
  out.writeUInt16LE(bodyLength, 0);
  out.writeUInt32LE(p.seq, 2);
  out.writeUInt16LE(p.x, 6);
  out.writeUInt16LE(p.y, 8);
  out.writeUInt8(p.color, 10);
  out.writeDoubleLE(p.placedAt, 11);
  out.writeDoubleLE(p.version, 19);
  user.copy(out, 27);
  out.writeUInt32LE(crc32(out.subarray(2, 2 + bodyLength)), 2 + bodyLength);
  return out;
}

/** The longest body written: the fixed fields and a user id of up to 512 bytes. */
const MAX_BODY = FIXED_BODY + 512;
/** The shortest record on disk: length, fixed fields, a one-byte user id, checksum. */
export const MIN_RECORD_BYTES = 2 + FIXED_BODY + 1 + 4;
const MAX_RECORD_BYTES = 2 + MAX_BODY + 4;
/** Seqs replayed per window, and the most bytes read at once. */
const REPLAY_WINDOW = 65_536;
const READ_SPAN = 1 << 20;

function decodeBody(body: Buffer): Placement {
  return {
    seq: body.readUInt32LE(0), x: body.readUInt16LE(4), y: body.readUInt16LE(6), color: body.readUInt8(8),
    placedAt: body.readDoubleLE(9), version: body.readDoubleLE(17), userId: body.toString('utf8', FIXED_BODY),
  };
}

/** Where each seq's record starts in the file (seqs are dense from 1, so an array indexed by seq). */
class SeqOffsets {
  private offsets = new Float64Array(1024);

  set(seq: number, offset: number): void {
    if (seq >= this.offsets.length) {
      const grown = new Float64Array(Math.max(seq + 1, this.offsets.length * 2));
      grown.set(this.offsets);
      this.offsets = grown;
    }
    if (this.offsets[seq] === 0) this.offsets[seq] = offset + 1; // 0 means none; a re-recorded seq keeps its first record
  }

  get(seq: number): number | null {
    const v = seq < this.offsets.length ? this.offsets[seq]! : 0;
    return v === 0 ? null : v - 1;
  }
}

/** The length of a valid record starting at `at`, or 0 when the bytes there are not one. */
function recordAt(data: Buffer, at: number): number {
  if (at + 2 > data.length) return 0;
  const bodyLength = data.readUInt16LE(at);
  const end = at + 2 + bodyLength + 4;
  if (bodyLength < FIXED_BODY || bodyLength > MAX_BODY || end > data.length) return 0;
  return crc32(data.subarray(at + 2, at + 2 + bodyLength)) === data.readUInt32LE(at + 2 + bodyLength) ? end - at : 0;
}

export interface DecodeReport {
  /** Byte ranges [start, end) that are not valid records but have valid records after them. */
  damaged: { start: number; end: number }[];
  /** Where the trailing bytes that hold no valid record begin (data.length when there are none). */
  validEnd: number;
  records: number;
}

/**
 * Decodes every valid record in `data`. A record that fails its length or checksum is skipped:
 * decoding resumes at the next offset where a whole record checks out, so one damaged record
 * never hides the ones after it.
 */
export function decodeRecords(data: Buffer, visit: (p: Placement, offset: number) => void): DecodeReport {
  const report: DecodeReport = { damaged: [], validEnd: data.length, records: 0 };
  let at = 0;
  while (at < data.length) {
    let length = recordAt(data, at);
    if (length === 0) {
      let next = at + 1;
      while (next < data.length && recordAt(data, next) === 0) next++;
      if (next >= data.length) {
        report.validEnd = at;
        break;
      }
      report.damaged.push({ start: at, end: next });
      at = next;
      length = recordAt(data, at);
    }
    const body = data.subarray(at + 2, at + length - 4);
    visit(decodeBody(body), at);
    report.records++;
    at += length;
  }
  return report;
}

interface Waiter {
  /** Called with where the record landed in the file. */
  resolve(offset: number): void;
  reject(err: unknown): void;
}

export class FilePixelLog implements PixelLog {
  private readonly latest = new Map<number, Placement>();
  private readonly users = new Map<string, number>();
  private readonly offsets = new SeqOffsets();
  /** Where each pixel's records are, in file order: history and area queries read only those. */
  private readonly byPixel = new Map<number, number[]>();
  /** The file's length: where the next flush writes. */
  private size = 0;
  private queue: Buffer[] = [];
  private waiters: Waiter[] = [];
  private flushing = false;
  private maxSeq = 0;
  /** At most this many records may have been lost to damage. */
  private lostRecordsBound = 0;

  private constructor(private readonly file: FileHandle, private readonly filePath: string) {}

  static async open(dataDir: string): Promise<FilePixelLog> {
    mkdirSync(dataDir, { recursive: true });
    const filePath = path.join(dataDir, 'pixels.log');
    const file = await open(filePath, 'a+');
    const log = new FilePixelLog(file, filePath);
    const data = await readFile(filePath);
    const report = decodeRecords(data, (p, offset) => log.index(p, offset));
    log.size = report.validEnd;
    const lost = [...report.damaged];
    if (report.validEnd < data.length) lost.push({ start: report.validEnd, end: data.length });
    if (lost.length > 0) await log.quarantine(data, lost, report.damaged.length > 0);
    // A tail with no whole record is cut off, so new records follow valid ones. A crash in the
    // middle of a write leaves one; it was never acknowledged (acknowledgement waits for fsync).
    if (report.validEnd < data.length) await file.truncate(report.validEnd);
    return log;
  }

  /**
   * Keeps damaged bytes beside the log for inspection, says so loudly and counts it, and
   * raises the seq floor past any seq the damaged bytes could have held.
   */
  private async quarantine(data: Buffer, ranges: { start: number; end: number }[], midFile: boolean): Promise<void> {
    const bytes = ranges.reduce((n, r) => n + r.end - r.start, 0);
    const at = `${this.filePath}.damaged-${Date.now()}`;
    await writeFile(at, Buffer.concat(ranges.map((r) => data.subarray(r.start, r.end))));
    this.lostRecordsBound = Math.ceil(bytes / MIN_RECORD_BYTES);
    countEvent(midFile ? 'file-log.damaged-records' : 'file-log.torn-tail');
    const fields = { file: this.filePath, quarantined: at, ranges, seqFloor: await this.seqFloor() };
    if (midFile) log.error(`pixels.log has ${ranges.length} damaged region(s) (${bytes} bytes); the records around them were kept`, fields);
    else log.warn(`pixels.log ended in ${bytes} bytes that hold no whole record (a write cut short); they were cut off`, fields);
  }

  private index(p: Placement, offset: number): void {
    if (p.seq > this.maxSeq) this.maxSeq = p.seq;
    this.offsets.set(p.seq, offset);
    const key = p.y * 65536 + p.x;
    const at = this.byPixel.get(key);
    if (at) at.push(offset);
    else this.byPixel.set(key, [offset]);
    const current = this.latest.get(key);
    if (!current || current.version < p.version) this.latest.set(key, p);
    if ((this.users.get(p.userId) ?? -1) < p.placedAt) this.users.set(p.userId, p.placedAt);
  }

  record(placement: Placement): Promise<void> {
    return new Promise((resolve, reject) => {
      const bytes = encodeRecord(placement);
      this.queue.push(bytes);
      this.waiters.push({
        resolve: (offset) => { this.index(placement, offset); resolve(); },
        reject,
      });
      if (!this.flushing) void this.flush();
    });
  }

  /** One write and one fsync for everything queued since the last flush. */
  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const buffers = this.queue;
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      try {
        const start = this.size;
        await this.file.write(Buffer.concat(buffers));
        await this.file.datasync();
        this.size += buffers.reduce((n, b) => n + b.length, 0);
        let offset = start;
        waiters.forEach((w, i) => {
          w.resolve(offset);
          offset += buffers[i]!.length;
        });
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.flushing = false;
  }

  async pixel(x: number, y: number): Promise<Placement | null> {
    return this.latest.get(y * 65536 + x) ?? null;
  }

  async history(x: number, y: number, limit: number): Promise<Placement[]> {
    const found = await this.readAt(this.byPixel.get(y * 65536 + x) ?? []);
    return found.sort((a, b) => b.seq - a.seq).slice(0, limit);
  }

  /** The records at these offsets; a placement recorded twice (a drain) is one entry. */
  private async readAt(offsets: readonly number[]): Promise<Placement[]> {
    const found = new Map<number, Placement>();
    const buffer = Buffer.alloc(MAX_RECORD_BYTES);
    for (const offset of offsets) {
      const { bytesRead } = await this.file.read(buffer, 0, Math.min(MAX_RECORD_BYTES, this.size - offset), offset);
      const length = recordAt(buffer.subarray(0, bytesRead), 0);
      if (length > 0) {
        const p = decodeBody(buffer.subarray(2, length - 4));
        found.set(p.seq, p);
      }
    }
    return [...found.values()];
  }

  async placementsInArea(q: AreaQuery): Promise<AreaPlacements> {
    const found: Placement[] = [];
    for (let y = q.y0; y <= q.y1; y++) {
      for (let x = q.x0; x <= q.x1; x++) {
        const offsets = this.byPixel.get(y * 65536 + x);
        if (!offsets) continue;
        for (const p of await this.readAt(offsets)) {
          if (p.placedAt >= q.from && p.placedAt <= q.to && (!q.userId || p.userId === q.userId)) found.push(p);
        }
      }
    }
    found.sort((a, b) => b.seq - a.seq);
    return { placements: found.slice(0, q.limit), truncated: found.length > q.limit };
  }

  async lastPlacement(userId: string): Promise<number | null> {
    return this.users.get(userId) ?? null;
  }

  /** Reads the records of the range window by window: their offsets, sorted, read in spans, then visited in seq order. */
  async replay(afterSeq: number, upToSeq: number, visit: (p: Placement) => void): Promise<void> {
    const last = Math.min(upToSeq, this.maxSeq);
    for (let from = afterSeq + 1; from <= last; from += REPLAY_WINDOW) {
      const to = Math.min(last, from + REPLAY_WINDOW - 1);
      const wanted: number[] = [];
      for (let seq = from; seq <= to; seq++) {
        const offset = this.offsets.get(seq);
        if (offset !== null) wanted.push(offset);
      }
      wanted.sort((a, b) => a - b);
      const found: Placement[] = [];
      for (let i = 0; i < wanted.length;) {
        // One read for records that lie close together (the usual case: appended in seq order).
        let j = i;
        while (j + 1 < wanted.length && wanted[j + 1]! - wanted[i]! < READ_SPAN) j++;
        const start = wanted[i]!;
        const span = Buffer.alloc(Math.min(READ_SPAN + MAX_RECORD_BYTES, this.size - start));
        await this.file.read(span, 0, span.length, start);
        for (let k = i; k <= j; k++) {
          const at = wanted[k]! - start;
          const length = recordAt(span, at);
          if (length > 0) found.push(decodeBody(span.subarray(at + 2, at + length - 4)));
        }
        i = j + 1;
      }
      found.sort((a, b) => a.seq - b.seq);
      for (const p of found) visit(p);
    }
  }

  async seqFloor(): Promise<number> {
    // Seqs are distinct and every one is recorded, so a lost record's seq is at most the highest
    // one read plus the number of records that could have been lost.
    return this.maxSeq + this.lostRecordsBound;
  }

  async boardSize(): Promise<BoardSize | null> {
    try {
      const { width, height } = JSON.parse(await readFile(this.sizePath(), 'utf8')) as BoardSize;
      return { width, height };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new DataFormatError(`${this.sizePath()} is not a board size`, { cause: err });
    }
  }

  async recordBoardSize(size: BoardSize): Promise<void> {
    // Written aside, synced, then renamed over: the file is always one whole size or the other.
    const temp = `${this.sizePath()}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify({ width: size.width, height: size.height }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.sizePath());
  }

  private sizePath(): string {
    return path.join(path.dirname(this.filePath), 'board-size.json');
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    while (this.flushing) await new Promise((r) => setTimeout(r, 5));
    await this.file.close();
  }
}
