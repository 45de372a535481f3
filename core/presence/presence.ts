// How many people are watching, across every socket server: each server reports its own count
// every few seconds; a report not refreshed within `staleMs` no longer counts (in Redis, from
// the next recount of the sum: at most a third of `staleMs` later). Redis in
// production (redis-presence.ts), this in-process map for the one-process run; both pass
// presence.contract.ts.

export interface Presence {
  /** This server now has `count` connections (0 when it stops). */
  report(serverId: string, count: number, now: number): Promise<void>;
  /** The sum over servers whose last report is fresh. */
  total(now: number): Promise<number>;
  close(): Promise<void>;
}

export class EmbeddedPresence implements Presence {
  private readonly reports = new Map<string, { count: number; at: number }>();
  constructor(private readonly staleMs: number) {}

  async report(serverId: string, count: number, now: number): Promise<void> {
    this.reports.set(serverId, { count, at: now });
  }

  async total(now: number): Promise<number> {
    let sum = 0;
    for (const [id, r] of this.reports) {
      if (now - r.at > this.staleMs) this.reports.delete(id);
      else sum += r.count;
    }
    return sum;
  }

  async close(): Promise<void> {}
}
