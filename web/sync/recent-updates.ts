// The last N updates a client applied, in seq order, so a fetched (possibly older) board can
// be brought to the client's seq and compared with what the client shows.
export class RecentUpdates {
  private readonly seqs: Float64Array;
  private readonly pixels: Uint32Array; // x | y << 16
  private readonly colors: Uint8Array;
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.seqs = new Float64Array(capacity);
    this.pixels = new Uint32Array(capacity);
    this.colors = new Uint8Array(capacity);
  }

  push(seq: number, x: number, y: number, color: number): void {
    const at = (this.start + this.size) % this.capacity;
    this.seqs[at] = seq;
    this.pixels[at] = (x | (y << 16)) >>> 0;
    this.colors[at] = color;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
  }

  /** Visits the updates with seq in (after, upTo]; false when some of them are no longer kept. */
  replay(after: number, upTo: number, visit: (x: number, y: number, color: number) => void): boolean {
    if (upTo <= after) return true;
    const oldest = this.size ? this.seqs[this.start]! : Number.POSITIVE_INFINITY;
    if (oldest > after + 1) return false;
    for (let i = 0; i < this.size; i++) {
      const at = (this.start + i) % this.capacity;
      const seq = this.seqs[at]!;
      if (seq > upTo) break;
      if (seq > after) visit(this.pixels[at]! & 0xffff, this.pixels[at]! >>> 16, this.colors[at]!);
    }
    return true;
  }
}
