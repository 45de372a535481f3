// Steady pixel writes over HTTP for fault tests, recorded write by write: each placement has
// its own Idempotency-Key and is retried with it (like the page does) after a 503, a 502 or a
// dropped connection, so every acknowledgement can be audited against persistence afterwards.
import { randomBytes } from 'node:crypto';
import type { ApiClient } from './api-client.ts';

export interface AckedWrite {
  key: string;
  seq: number;
  x: number;
  y: number;
  color: number;
  userId: string;
}

/** One HTTP attempt: when it started and ended, and how it was answered ('error' = no answer). */
export interface Attempt {
  start: number;
  end: number;
  status: number | 'error';
}

export interface WriteLoadOptions {
  /** Writes per second per writer (each writer waits between writes, never overlaps itself). */
  perWriterPerSecond: number;
  width: number;
  height: number;
  /** An attempt that takes longer is abandoned (and retried). */
  attemptTimeoutMs: number;
  /** A write retried for this long without an acknowledgement is given up (left unacknowledged). */
  giveUpAfterMs: number;
}

export class WriteLoad {
  readonly acked: AckedWrite[] = [];
  readonly attempts: Attempt[] = [];
  /** Writes given up after retrying: never acknowledged, so never audited. */
  abandoned = 0;
  /** Why a writer stopped early (an answer a fault should never cause). */
  readonly failures: string[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly writers: ApiClient[], private readonly options: WriteLoadOptions) {}

  start(): void {
    this.running = true;
    this.loops = this.writers.map((w) => this.loop(w).catch((err: unknown) => { this.failures.push((err as Error).message); }));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(writer: ApiClient): Promise<void> {
    const every = 1000 / this.options.perWriterPerSecond;
    while (this.running) {
      const started = Date.now();
      await this.write(writer);
      await sleep(Math.max(0, every - (Date.now() - started)) * (0.5 + Math.random()));
    }
  }

  private async write(writer: ApiClient): Promise<void> {
    const { width, height } = this.options;
    const x = Math.floor(Math.random() * width);
    const y = Math.floor(Math.random() * height);
    const color = Math.floor(Math.random() * 16);
    const key = randomBytes(12).toString('base64url');
    const deadline = Date.now() + this.options.giveUpAfterMs;
    for (let attempt = 0; ; attempt++) {
      const start = Date.now();
      let status: number | 'error';
      let body: Record<string, unknown> = {};
      try {
        const res = await fetch(`${writer.baseUrl}/api/pixels`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${writer.token}`, 'idempotency-key': key },
          body: JSON.stringify({ x, y, color }),
          signal: AbortSignal.timeout(this.options.attemptTimeoutMs),
        });
        status = res.status;
        body = (await res.json()) as Record<string, unknown>;
      } catch {
        status = 'error';
      }
      this.attempts.push({ start, end: Date.now(), status });
      if (status === 201) {
        this.acked.push({ key, seq: body.seq as number, x, y, color, userId: writer.userId! });
        return;
      }
      // 502: a writer stopped mid-request (start:cluster's runner answers as the ALB would).
      if (status !== 503 && status !== 502 && status !== 'error') throw new Error(`unexpected answer ${status}: ${JSON.stringify(body)}`);
      if (!this.running || Date.now() > deadline) {
        this.abandoned++;
        return;
      }
      await sleep(Math.min(1000, 100 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()));
    }
  }
}

export interface OutageReport {
  fault: string;
  /** From the first attempt the fault failed until the next acknowledged one begun after that
   *  failure (0: none failed; -1: none yet). */
  outageMs: number;
  /** Attempts answered 503 in the window, and how long the slowest took. */
  fast503s: number;
  slowest503Ms: number;
  /** Attempts answered 502: the writer handling them stopped mid-request (start:cluster's runner answers as the ALB would). */
  badGateway: number;
  /** Attempts with no answer (connection refused or reset, or abandoned after the attempt timeout). */
  noAnswer: number;
  /** Attempts in the window that took longer than 2 s, whatever their answer. */
  over2s: number;
  slowestMs: number;
}

/** What clients saw from `from` (the fault) until writes were acknowledged again after it. */
export function outage(fault: string, attempts: readonly Attempt[], from: number): OutageReport {
  const after = attempts.filter((a) => a.end >= from).sort((a, b) => a.end - b.end);
  const firstFailure = after.find((a) => a.status !== 201);
  // Begun after the failure was seen: a write that began while the failed one was in flight
  // and was acknowledged before it failed says nothing about recovery (and would make the
  // outage negative).
  const recovered = firstFailure ? after.find((a) => a.status === 201 && a.start >= firstFailure.end) : undefined;
  const until = recovered?.end ?? (firstFailure ? Number.POSITIVE_INFINITY : from);
  const window = after.filter((a) => a.start <= until);
  const failed503 = window.filter((a) => a.status === 503);
  return {
    fault,
    outageMs: firstFailure ? (recovered ? recovered.end - firstFailure.end : -1) : 0,
    fast503s: failed503.length,
    slowest503Ms: Math.max(0, ...failed503.map((a) => a.end - a.start)),
    badGateway: window.filter((a) => a.status === 502).length,
    noAnswer: window.filter((a) => a.status === 'error').length,
    over2s: window.filter((a) => a.end - a.start > 2000).length,
    slowestMs: Math.max(0, ...window.map((a) => a.end - a.start)),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
