// The lease loop that the feed relay, the board publisher and the template tracker share: every
// socket server runs each of them, and the one holding the lease does the work. The holder renews
// every third of the lease. A follower asks the store only when the holder's time is up (the
// store says how long it has left) or when a holder lets go (a notice), never every tick: 200
// socket servers asking every 50 ms kept 7–8 % of a Redis core busy with nobody writing
// (docs/PERFORMANCE.md, "Idle socket servers").
import type { LeaseTry, StoreLock } from './board-store.ts';

export interface LeaseKeeperOptions {
  leaseMs: number;
  /** Followers spread their tries over this much after a lease frees up (their tick will do). */
  jitterMs: number;
  random?: () => number;
}

/** What a tick may do: `gained` on the tick the lease was taken, `lost` on the one its renewal failed. */
export interface LeaseTurn<L> {
  lease: L | null;
  gained: boolean;
  lost: boolean;
}

export class LeaseKeeper<L extends StoreLock> {
  /** `tries`: store calls made while following. */
  readonly stats = { tries: 0, terms: 0, lost: 0 };
  private held: L | null = null;
  private renewedAt = 0;
  private nextTryAt = 0;
  /** Counts release notices, so a refusal that crossed one does not put the next try off. */
  private notices = 0;
  private closed = false;

  constructor(private readonly take: (ttlMs: number) => Promise<LeaseTry<L>>, private readonly options: LeaseKeeperOptions) {}

  get lease(): L | null {
    return this.held;
  }

  /** Once a tick: takes, keeps or renews the lease; calls the store only when one of those is due. */
  async hold(now: number): Promise<LeaseTurn<L>> {
    if (this.closed) return { lease: null, gained: false, lost: false };
    const held = this.held;
    if (held) {
      // Every third of the lease, less half a tick: a tick that comes a little early must not put the renewal off by a whole tick.
      if (now - this.renewedAt < this.options.leaseMs / 3 - this.options.jitterMs / 2) return { lease: held, gained: false, lost: false };
      if (await held.renew(this.options.leaseMs)) {
        this.renewedAt = now;
        return { lease: held, gained: false, lost: false };
      }
      this.lost(now);
      return { lease: null, gained: false, lost: true };
    }
    if (now < this.nextTryAt) return { lease: null, gained: false, lost: false };
    this.stats.tries++;
    const notices = this.notices;
    const attempt = await this.take(this.options.leaseMs);
    if (this.closed) {
      await attempt.lease?.release(); // stopped while asking: let go at once, so the others need not wait it out
      return { lease: null, gained: false, lost: false };
    }
    if (!attempt.lease) {
      this.nextTryAt = now + (this.notices === notices ? attempt.heldForMs : 0) + this.jitter();
      return { lease: null, gained: false, lost: false };
    }
    this.held = attempt.lease;
    this.renewedAt = now;
    this.stats.terms++;
    return { lease: attempt.lease, gained: true, lost: false };
  }

  /** The holder let go: try within the jitter instead of when its time would have run out. */
  released(now = Date.now()): void {
    this.notices++;
    if (!this.held) this.nextTryAt = Math.min(this.nextTryAt, now + this.jitter());
  }

  /** The lease is gone (a renewal or a fenced write was refused): follow, and ask at the next tick. */
  lost(now = Date.now()): void {
    if (this.held) this.stats.lost++;
    this.held = null;
    this.nextTryAt = now;
  }

  /** Lets go of the lease and takes no other until resume(): a stopping server's tick still under way cannot take it again. */
  async release(): Promise<void> {
    this.closed = true;
    const held = this.held;
    this.held = null;
    await held?.release();
  }

  resume(): void {
    this.closed = false;
  }

  private jitter(): number {
    return Math.floor((this.options.random ?? Math.random)() * this.options.jitterMs);
  }
}
