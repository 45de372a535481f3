// Writes must not touch the live board while persistence is down: the pixel would show and
// start a cooldown, then the writer would answer 503. After a persistence failure the gate is
// closed; a write then waits for one shared probe (at most one per probe interval) and gets a
// fast 503 until a probe succeeds. Works in Lambda too: no background timers.
import { PersistenceUnavailableError } from '../errors.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';

export interface PersistenceGateOptions {
  /** Least time between two probes while closed. */
  probeIntervalMs: number;
  /** A probe that takes longer counts as failed. */
  probeTimeoutMs: number;
}

export class PersistenceGate {
  private closedSince: number | null = null;
  private lastProbeAt = 0;
  private probing: Promise<void> | null = null;
  private lastError: unknown = null;
  readonly stats = { closed: 0, probes: 0, refused: 0 };

  constructor(private readonly log: Pick<PixelLog, 'ping'>, private readonly options: PersistenceGateOptions) {}

  get open(): boolean {
    return this.closedSince === null;
  }

  /** Resolves when writes may proceed; throws PersistenceUnavailableError at once otherwise. */
  async ready(now = Date.now()): Promise<void> {
    if (this.closedSince === null) return;
    if (!this.probing && now - this.lastProbeAt >= this.options.probeIntervalMs) {
      this.lastProbeAt = now;
      this.stats.probes++;
      this.probing = withTimeout(this.log.ping(), this.options.probeTimeoutMs)
        .then(() => { this.closedSince = null; })
        .catch((err: unknown) => { this.lastError = err; })
        .finally(() => { this.probing = null; });
    }
    if (this.probing) await this.probing;
    if (this.closedSince !== null) {
      this.stats.refused++;
      throw new PersistenceUnavailableError(
        `persistence has been failing for ${now - this.closedSince} ms`, { cause: this.lastError, store: 'cassandra' },
      );
    }
  }

  /** A persistence call failed: close the gate until a probe succeeds. */
  failed(err: unknown, now = Date.now()): void {
    this.lastError = err;
    if (this.closedSince === null) {
      this.closedSince = now;
      this.lastProbeAt = now;
      this.stats.closed++;
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}
