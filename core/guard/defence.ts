// The adaptive defence level. Every process counts placements per window in the guard store; the
// level is worked out from them at most every few seconds per process: a window at DEFENCE_SPIKE
// times the moving average of the windows before it (or mostly placed by brand-new sessions)
// raises it to 1, at DEFENCE_SURGE times to 2 (new sessions paused). A raised level holds
// DEFENCE_HOLD_MS, then steps down one level at a time.
import type { DefenceRules } from '../guard-config.ts';
import { log, metrics, reportFailure } from '../observability/telemetry.ts';
import type { DefenceLevel, DefenceState, GuardStore, WindowCount } from './guard-store.ts';

/** A session younger than this many windows counts as new. */
export const NEW_SESSION_WINDOWS = 5;

export interface LevelInputs {
  /** Counts of the windows before the current one, oldest first. */
  history: readonly WindowCount[];
  current: WindowCount;
}

/** The level the placement counts call for (before holding). */
export function wantedLevel(inputs: LevelInputs, rules: DefenceRules): DefenceLevel {
  const { history, current } = inputs;
  const average = history.length ? history.reduce((sum, w) => sum + w.all, 0) / history.length : 0;
  // A quiet start has no average to speak of: DEFENCE_MIN_PLACEMENTS stands in for it.
  const baseline = Math.max(average, rules.minPlacements);
  if (current.all >= rules.surge * baseline) return 2;
  if (current.all >= rules.spike * baseline) return 1;
  if (current.all >= rules.minPlacements && current.fresh / current.all >= rules.newShare) return 1;
  return 0;
}

/** The next state: up at once, down one level per DEFENCE_HOLD_MS. */
export function nextState(state: DefenceState, wanted: DefenceLevel, rules: DefenceRules, now: number): DefenceState {
  if (wanted > state.level) return { level: wanted, since: now };
  if (wanted < state.level && now - state.since >= rules.holdMs) return { level: (state.level - 1) as DefenceLevel, since: now };
  return state;
}

export class DefenceMonitor {
  private state: DefenceState = { level: 0, since: 0 };
  private checkedAt = -Infinity;
  private checking: Promise<DefenceState> | null = null;
  /** Counts not yet added to the store, by window: one store write per window a second, not one per placement. */
  private readonly pending = new Map<number, { all: number; fresh: number }>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly store: GuardStore, readonly rules: DefenceRules, private readonly clock: () => number = Date.now,
    private readonly refreshMs = Math.min(5000, rules.windowMs / 4), private readonly flushMs = Math.min(1000, rules.windowMs / 4)) {}

  windowStart(now: number): number {
    return now - (now % this.rules.windowMs);
  }

  /** Counts an accepted placement (never fails the placement: a lost count is logged). */
  counted(sessionIssuedAt: number, now = this.clock()): void {
    const fresh = now - sessionIssuedAt < NEW_SESSION_WINDOWS * this.rules.windowMs;
    const start = this.windowStart(now);
    const c = this.pending.get(start) ?? { all: 0, fresh: 0 };
    c.all++;
    if (fresh) c.fresh++;
    this.pending.set(start, c);
    this.flushTimer ??= setTimeout(() => { void this.flush(); }, this.flushMs);
    this.flushTimer.unref?.();
  }

  /** Adds the counts gathered here to the store. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = [...this.pending];
    this.pending.clear();
    const ttl = this.rules.windowMs * (this.rules.history + 2);
    await Promise.all(batch.map(([start, c]) => this.store.countPlacements(start, c.all, c.fresh, ttl)
      .catch((err: unknown) => reportFailure('defence-count', err))));
  }

  /** The level now, as this process last worked it out (at most refreshMs old). */
  async level(): Promise<DefenceLevel> {
    return (await this.current()).level;
  }

  async current(): Promise<DefenceState> {
    if (this.clock() - this.checkedAt < this.refreshMs) return this.state;
    this.checking ??= this.evaluate().finally(() => { this.checking = null; });
    return this.checking;
  }

  private async evaluate(): Promise<DefenceState> {
    await this.flush();
    const now = this.clock();
    const w = this.rules.windowMs;
    const start = this.windowStart(now);
    const starts = Array.from({ length: this.rules.history + 1 }, (_, i) => start - (this.rules.history - i) * w);
    const [stored, counts] = await Promise.all([this.store.defenceState(), this.store.placementCounts(starts)]);
    const wanted = wantedLevel({ history: counts.slice(0, -1), current: counts[counts.length - 1]! }, this.rules);
    const next = nextState(stored, wanted, this.rules, now);
    if (next.level !== stored.level || next.since !== stored.since) {
      await this.store.setDefenceState(next);
      if (next.level > stored.level) {
        log.warn('defence level raised', { alert: true, level: next.level, from: stored.level, placements: counts[counts.length - 1], windowMs: w });
        metrics.count('defence_raised', { level: String(next.level) });
      } else {
        log.info('defence level lowered', { level: next.level, from: stored.level });
      }
    }
    this.state = next;
    this.checkedAt = now;
    return next;
  }
}
