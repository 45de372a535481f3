// Caps on uses per key in any window of a given length (sessions per address per hour, update
// reads per minute, reports, templates, heavy reads). A counter per clock window lets twice the
// cap through across its edge: the cap at 10:59:59 and again at 11:00:00. Here a key's uses are
// counted in buckets a tenth of the window wide, and a use is admitted only if the current
// bucket and the SLOT_BUCKETS before it (at least one whole window back) hold fewer than the cap.
// So no window of the cap's length ever holds more than the cap, and a key costs at most
// SLOT_BUCKETS + 1 counters whatever its cap; the price is that a use counts against the cap for
// up to a tenth of a window longer than the window. The Redis stores do the same in TAKE_SLOT_LUA
// (redis-scripts.ts), given SLOT_BUCKETS; the contract tests hold both to these answers.

/** Buckets per window. */
export const SLOT_BUCKETS = 10;

export interface SlotAnswer {
  allowed: boolean;
  /** When refused: how long until enough counted uses age out for one more (≥ 1 ms). */
  retryAfterMs: number;
}

/** A key's counts: [bucket index, uses] in ascending index order. */
export type SlotBuckets = [number, number][];

export function bucketWidth(windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / SLOT_BUCKETS));
}

/** The oldest bucket that still counts at `now`: the current one and the SLOT_BUCKETS before it. */
function firstCounted(windowMs: number, now: number): number {
  return Math.floor(now / bucketWidth(windowMs)) - SLOT_BUCKETS;
}

/** Whether one more use fits at `now`, given a key's buckets (older ones are ignored). */
export function slotAnswer(buckets: SlotBuckets, limit: number, windowMs: number, now: number): SlotAnswer {
  const width = bucketWidth(windowMs);
  const first = firstCounted(windowMs, now);
  let total = 0;
  for (const [b, n] of buckets) if (b >= first) total += n;
  if (total < limit) return { allowed: true, retryAfterMs: 0 };
  // Oldest first: once enough of them have aged out, one more fits.
  let need = total - limit + 1;
  for (const [b, n] of buckets) {
    if (b < first) continue;
    need -= n;
    if (need <= 0) return { allowed: false, retryAfterMs: Math.max((b + SLOT_BUCKETS + 1) * width - now, 1) };
  }
  return { allowed: false, retryAfterMs: 1 }; // not reached: the counted uses sum to `total`
}

interface Log {
  buckets: SlotBuckets;
  windowMs: number;
}

/** In-memory counts, for the embedded stores. */
export class SlidingWindowLimiter {
  private readonly logs = new Map<string, Log>();
  private sweepAt = 1024;

  /** How many keys are remembered. */
  get size(): number {
    return this.logs.size;
  }

  /** Counts a use of `key` at `now` unless `limit` uses are counted (slotAnswer). */
  take(key: string, limit: number, windowMs: number, now: number): SlotAnswer {
    let log = this.logs.get(key);
    if (!log) {
      this.sweep(now);
      log = { buckets: [], windowMs };
      this.logs.set(key, log);
    }
    log.windowMs = windowMs;
    dropOld(log, now);
    const answer = slotAnswer(log.buckets, limit, windowMs, now);
    if (answer.allowed) count(log.buckets, Math.floor(now / bucketWidth(windowMs)));
    return answer;
  }

  // Keys not used again would stay forever: when the map has doubled, drop those with nothing counted.
  private sweep(now: number): void {
    if (this.logs.size < this.sweepAt) return;
    for (const [key, log] of this.logs) {
      dropOld(log, now);
      if (log.buckets.length === 0) this.logs.delete(key);
    }
    this.sweepAt = Math.max(1024, this.logs.size * 2);
  }
}

function dropOld(log: Log, now: number): void {
  const first = firstCounted(log.windowMs, now);
  let n = 0;
  while (n < log.buckets.length && log.buckets[n]![0] < first) n++;
  if (n > 0) log.buckets.splice(0, n);
}

// Callers' clocks need not agree: a use stamped earlier than the last still goes in its bucket.
function count(buckets: SlotBuckets, b: number): void {
  let i = buckets.length;
  while (i > 0 && buckets[i - 1]![0] > b) i--;
  if (i > 0 && buckets[i - 1]![0] === b) buckets[i - 1]![1]++;
  else buckets.splice(i, 0, [b, 1]);
}
