// The frames a socket server broadcast recently, kept for `keepMs` (and at most `maxBytes`), so a
// client that reconnects can be sent what it missed from memory: no store call, no HTTP request.
// Frames are kept as they were written (already WebSocket-framed), to be written again as they are.

interface KeptFrame {
  firstSeq: number;
  lastSeq: number;
  at: number;
  frame: Buffer;
}

export class ReplayRing {
  private frames: KeptFrame[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly keepMs: number, private readonly maxBytes: number) {}

  /** Keeps a broadcast frame holding seqs firstSeq … lastSeq. */
  push(firstSeq: number, lastSeq: number, frame: Buffer, now = Date.now()): void {
    this.frames.push({ firstSeq, lastSeq, at: now, frame });
    this.bytes += frame.length;
    while (this.head < this.frames.length && (now - this.frames[this.head]!.at > this.keepMs || this.bytes > this.maxBytes)) {
      this.bytes -= this.frames[this.head]!.frame.length;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
  }

  /** Forgets everything (the board was restored: kept frames no longer apply). */
  clear(): void {
    this.frames = [];
    this.head = 0;
    this.bytes = 0;
  }

  /**
   * The frames that bring a client at `seq` up to the last frame kept, or null when they are
   * no longer all kept (the client then catches up over HTTP). Empty when it is up to date.
   */
  framesAfter(seq: number): Buffer[] | null {
    const first = this.frames[this.head];
    const last = this.frames.at(-1);
    if (!first || !last) return null;
    if (seq >= last.lastSeq) return [];
    if (seq + 1 < first.firstSeq) return null;
    // Binary search for the first frame holding seq + 1 (frames are in seq order).
    let lo = this.head;
    let hi = this.frames.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.frames[mid]!.lastSeq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.frames.slice(lo).map((f) => f.frame);
  }

  get size(): { frames: number; bytes: number } {
    return { frames: this.frames.length - this.head, bytes: this.bytes };
  }
}
