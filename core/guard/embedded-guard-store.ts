// The guard store in process memory, for the one-command local run (and the contract suite).
import type { DefenceLevel, DefenceState, GuardStore, WindowCount } from './guard-store.ts';
import { MAX_LEVEL } from './guard-store.ts';

export class EmbeddedGuardStore implements GuardStore {
  private readonly spent = new Map<string, number>();
  private readonly credits = new Map<string, { counts: number[]; expiresAt: number }>();
  private readonly windows = new Map<number, WindowCount & { expiresAt: number }>();
  private state: DefenceState = { level: 0, since: 0 };

  constructor(private readonly clock: () => number = Date.now) {}

  async spendOnce(id: string, expiresAt: number): Promise<boolean> {
    const now = this.clock();
    if (this.spent.size > 10_000) for (const [k, at] of this.spent) if (at <= now) this.spent.delete(k);
    const until = this.spent.get(id);
    if (until !== undefined && until > now) return false;
    this.spent.set(id, expiresAt);
    return true;
  }

  async grantCredits(userId: string, level: DefenceLevel, count: number, ttlMs: number): Promise<void> {
    const now = this.clock();
    const held = this.credits.get(userId);
    const counts = held && held.expiresAt > now ? held.counts : [0, 0, 0];
    counts[level] = count;
    this.credits.set(userId, { counts, expiresAt: now + ttlMs });
  }

  async takeCredit(userId: string, level: DefenceLevel): Promise<DefenceLevel | null> {
    const held = this.credits.get(userId);
    if (!held || held.expiresAt <= this.clock()) return null;
    for (let l = level; l <= MAX_LEVEL; l++) {
      if (held.counts[l]! > 0) {
        held.counts[l]!--;
        return l as DefenceLevel;
      }
    }
    return null;
  }

  async refundCredit(userId: string, level: DefenceLevel): Promise<void> {
    const held = this.credits.get(userId);
    if (held) held.counts[level]!++;
  }

  async countPlacements(windowStart: number, all: number, fresh: number, ttlMs: number): Promise<void> {
    const now = this.clock();
    for (const [k, w] of this.windows) if (w.expiresAt <= now) this.windows.delete(k);
    const w = this.windows.get(windowStart) ?? { all: 0, fresh: 0, expiresAt: now + ttlMs };
    w.all += all;
    w.fresh += fresh;
    this.windows.set(windowStart, w);
  }

  async placementCounts(windowStarts: readonly number[]): Promise<WindowCount[]> {
    return windowStarts.map((s) => {
      const w = this.windows.get(s);
      return { all: w?.all ?? 0, fresh: w?.fresh ?? 0 };
    });
  }

  async defenceState(): Promise<DefenceState> {
    return { ...this.state };
  }

  async setDefenceState(state: DefenceState): Promise<void> {
    this.state = { ...state };
  }

  async close(): Promise<void> {}
}
