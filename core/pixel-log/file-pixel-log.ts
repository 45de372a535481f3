// Persistence for the one-command local run: an append-only file of binary records, flushed
// to disk (group commit) before a write is acknowledged and replayed at start.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import type { Cooldown, Placement } from '../board-store/board-store.ts';
import type { PixelLog } from './pixel-log.ts';

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

/** Decodes records from the start of `data`; stops at the first torn or corrupt one. */
export function decodeRecords(data: Buffer, visit: (p: Placement) => void): number {
  let at = 0;
  while (at + 2 <= data.length) {
    const bodyLength = data.readUInt16LE(at);
    const end = at + 2 + bodyLength + 4;
    if (bodyLength < FIXED_BODY || end > data.length) break;
    const body = data.subarray(at + 2, at + 2 + bodyLength);
    if (crc32(body) !== data.readUInt32LE(at + 2 + bodyLength)) break;
    visit({
      seq: body.readUInt32LE(0), x: body.readUInt16LE(4), y: body.readUInt16LE(6), color: body.readUInt8(8),
      placedAt: body.readDoubleLE(9), version: body.readDoubleLE(17), userId: body.toString('utf8', FIXED_BODY),
    });
    at = end;
  }
  return at;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class FilePixelLog implements PixelLog {
  private readonly latest = new Map<number, Placement>();
  private readonly users = new Map<string, number>();
  private queue: Buffer[] = [];
  private waiters: Waiter[] = [];
  private flushing = false;

  private constructor(private readonly file: FileHandle, private readonly filePath: string) {}

  static async open(dataDir: string): Promise<FilePixelLog> {
    mkdirSync(dataDir, { recursive: true });
    const filePath = path.join(dataDir, 'pixels.log');
    const file = await open(filePath, 'a+');
    const log = new FilePixelLog(file, filePath);
    const data = await readFile(filePath);
    const good = decodeRecords(data, (p) => log.index(p));
    if (good < data.length) await file.truncate(good); // a torn tail from a crash was never acknowledged
    return log;
  }

  private index(p: Placement): void {
    const key = p.y * 65536 + p.x;
    const current = this.latest.get(key);
    if (!current || current.version < p.version) this.latest.set(key, p);
    if ((this.users.get(p.userId) ?? -1) < p.placedAt) this.users.set(p.userId, p.placedAt);
  }

  record(placement: Placement): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push(encodeRecord(placement));
      this.waiters.push({
        resolve: () => { this.index(placement); resolve(); },
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
        await this.file.write(Buffer.concat(buffers));
        await this.file.datasync();
        for (const w of waiters) w.resolve();
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
    const found = new Map<number, Placement>(); // a placement recorded twice (a drain) is one entry
    decodeRecords(await readFile(this.filePath), (p) => { if (p.x === x && p.y === y) found.set(p.seq, p); });
    return [...found.values()].sort((a, b) => b.seq - a.seq).slice(0, limit);
  }

  async lastPlacement(userId: string): Promise<number | null> {
    return this.users.get(userId) ?? null;
  }

  async scanPixels(visit: (p: Placement) => void, onProgress?: (visited: number) => void): Promise<void> {
    let n = 0;
    for (const p of this.latest.values()) {
      visit(p);
      if (++n % 100_000 === 0) onProgress?.(n);
    }
    onProgress?.(n);
  }

  async placementsSince(since: number): Promise<Cooldown[]> {
    const out: Cooldown[] = [];
    for (const [userId, placedAt] of this.users) if (placedAt >= since) out.push({ userId, placedAt });
    return out;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    while (this.flushing) await new Promise((r) => setTimeout(r, 5));
    await this.file.close();
  }
}
