// Caps on uses per key in any window of a given length (sessions per address per hour, update
// reads per minute, reports, templates, heavy reads). A fixed window (a counter per clock minute)
// lets twice the cap through across its edge: the cap at 10:59:59 and again at 11:00:00. A log of
// each key's use times, dropped as they age out of the window, admits at most the cap in any
// window. The caps are small (at most a few hundred), so the log stays small. The Redis stores do
// the same in TAKE_SLOT_LUA (redis-scripts.ts); this is the embedded stores' copy.

export interface SlotAnswer {
  allowed: boolean;
  /** When refused: how long until the oldest counted use leaves the window (≥ 1 ms). */
  retryAfterMs: number;
}

/** Whether one more use fits, given the times of the uses still in the window (oldest first). */
export function slotAnswer(times: readonly number[], limit: number, windowMs: number, now: number): SlotAnswer {
  if (times.length < limit) return { allowed: true, retryAfterMs: 0 };
  return { allowed: false, retryAfterMs: Math.max(times[0]! + windowMs - now, 1) };
}

interface Log {
  times: number[];
  windowMs: number;
}

/** In-memory use logs, for the embedded stores. */
export class SlidingWindowLimiter {
  private readonly logs = new Map<string, Log>();
  private sweepAt = 1024;

  /** How many keys are remembered. */
  get size(): number {
    return this.logs.size;
  }

  /** Counts a use of `key` at `now` unless `limit` uses fall in the window (now − windowMs, now]. */
  take(key: string, limit: number, windowMs: number, now: number): SlotAnswer {
    let log = this.logs.get(key);
    if (!log) {
      this.sweep(now);
      log = { times: [], windowMs };
      this.logs.set(key, log);
    }
    log.windowMs = windowMs;
    dropOld(log, now);
    const answer = slotAnswer(log.times, limit, windowMs, now);
    if (answer.allowed) insertSorted(log.times, now);
    return answer;
  }

  // Keys not used again would stay forever: when the map has doubled, drop those whose uses all aged out.
  private sweep(now: number): void {
    if (this.logs.size < this.sweepAt) return;
    for (const [key, log] of this.logs) {
      dropOld(log, now);
      if (log.times.length === 0) this.logs.delete(key);
    }
    this.sweepAt = Math.max(1024, this.logs.size * 2);
  }
}

function dropOld(log: Log, now: number): void {
  let n = 0;
  while (n < log.times.length && log.times[n]! <= now - log.windowMs) n++;
  if (n > 0) log.times.splice(0, n);
}

// Callers' clocks need not agree: a use stamped earlier than the last still goes in order.
function insertSorted(times: number[], t: number): void {
  let i = times.length;
  while (i > 0 && times[i - 1]! > t) i--;
  times.splice(i, 0, t);
}
