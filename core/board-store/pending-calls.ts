// Placements the write script applied whose persistence is not confirmed yet, one record per
// script call instead of one per write (docs/PERFORMANCE.md, "One pending record per call"). The
// script adds the call's last seq to the pending set, scored by its oldest placement, and the
// call's placements, packed as below, to the pending-calls hash under that name; both go in one
// step. Once every placement of the call is persisted the writer removes both (one MULTI); a
// drain reads them back. Records of one placement each ("seq:x:y:color:placedAt:version:user")
// are still made by moderators' placements and by writers older than this format, and read too.
import type { Placement } from './board-store.ts';
import { nextVersion } from '../domain/placement.ts';
import { PIXEL_RECORD_BYTES, readPixelRecord } from '../protocol/pixel-batch.ts';

/**
 * A pending call's record: first seq, first version and count (little-endian doubles: the
 * script's struct.pack format below), then the placements' pixel records (pixel-batch.ts), then
 * their writers (packPendingWriters). The seqs follow one another; each version after the first
 * is nextVersion of the one before, as the script made it.
 */
export const PENDING_CALL_HEADER_FORMAT = '<ddd';
const HEADER_BYTES = 24;
/** A writer's entry: its write's time (f64), its user id's length in bytes (u16), the id (UTF-8); struct.pack '<dH'. */
export const PENDING_WRITER_FORMAT = '<dH';
const WRITER_HEAD_BYTES = 10;

/** Every write's time and user, in order: the script keeps this as it comes when every write of the call places. */
export function packPendingWriters(writes: readonly { now: number; userId: string }[]): Buffer {
  let bytes = 0;
  for (const w of writes) bytes += WRITER_HEAD_BYTES + Buffer.byteLength(w.userId);
  const out = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const w of writes) {
    out.writeDoubleLE(w.now, at);
    const length = out.write(w.userId, at + WRITER_HEAD_BYTES);
    out.writeUInt16LE(length, at + 8);
    at += WRITER_HEAD_BYTES + length;
  }
  return out;
}

/** The placements a pending call's record holds, in seq order; throws when it is not one. */
export function decodePendingCall(record: Buffer): Placement[] {
  if (record.length < HEADER_BYTES) throw new Error(`a pending call's record of ${record.length} bytes has no header`);
  const firstSeq = record.readDoubleLE(0);
  let version = record.readDoubleLE(8);
  const count = record.readDoubleLE(16);
  let at = HEADER_BYTES + count * PIXEL_RECORD_BYTES;
  const placements: Placement[] = [];
  for (let i = 0; i < count; i++) {
    if (at + WRITER_HEAD_BYTES > record.length) throw new Error(`a pending call's record ends before its placement ${i + 1} of ${count}`);
    const placedAt = record.readDoubleLE(at);
    const length = record.readUInt16LE(at + 8);
    const userId = record.toString('utf8', at + WRITER_HEAD_BYTES, at + WRITER_HEAD_BYTES + length);
    at += WRITER_HEAD_BYTES + length;
    if (i > 0) version = nextVersion(version, placedAt);
    placements.push({ seq: firstSeq + i, ...readPixelRecord(record, HEADER_BYTES + i * PIXEL_RECORD_BYTES), userId, placedAt, version });
  }
  return placements;
}

/** A pending set member naming a call's record (its last seq), as against a record of one placement. */
export function isPendingCall(member: string): boolean {
  return /^\d+$/.test(member);
}

/** A record of one placement, as moderators' placements and older writers make them. */
export function pendingMember(p: Placement): string {
  return `${p.seq}:${p.x}:${p.y}:${p.color}:${p.placedAt}:${p.version}:${p.userId}`;
}

export function parsePendingMember(member: string): Placement | null {
  const parts = member.split(':');
  if (parts.length < 7) return null;
  const [seq, x, y, color, placedAt, version] = parts.slice(0, 6).map(Number) as [number, number, number, number, number, number];
  return { seq, x, y, color, placedAt, version, userId: parts.slice(6).join(':') };
}

interface TrackedCall { id: string; seqs: number[]; left: number; at: number }

/**
 * Which pending call each placement made (or drained) here belongs to, until all of the call's
 * placements are persisted. A call not finished within `forgetAfterMs` (a persistence write
 * failed, so one of its placements is never confirmed) is forgotten: its record stays for a drain.
 */
export class PendingCallTracker {
  private readonly bySeq = new Map<number, TrackedCall>();
  private readonly calls: TrackedCall[] = []; // oldest first
  private head = 0;

  constructor(private readonly forgetAfterMs = 60_000) {}

  track(id: string, seqs: number[], now = Date.now()): void {
    while (this.head < this.calls.length && this.calls[this.head]!.at < now - this.forgetAfterMs) {
      const old = this.calls[this.head++]!;
      for (const seq of old.seqs) if (this.bySeq.get(seq) === old) this.bySeq.delete(seq);
    }
    if (this.head > 1024 && this.head * 2 > this.calls.length) {
      this.calls.splice(0, this.head);
      this.head = 0;
    }
    const call = { id, seqs, left: seqs.length, at: now };
    this.calls.push(call);
    for (const seq of seqs) this.bySeq.set(seq, call);
  }

  /** Placement `seq` is persisted: its call's id once all of the call's are, null while some are not, undefined when no tracked call holds it. */
  persisted(seq: number): string | null | undefined {
    const call = this.bySeq.get(seq);
    if (!call) return undefined;
    this.bySeq.delete(seq);
    if (--call.left > 0) return null;
    call.seqs = []; // finished: only the expiry queue's entry is left
    return call.id;
  }

  /** Placements tracked and not yet persisted. */
  get size(): number {
    return this.bySeq.size;
  }
}
