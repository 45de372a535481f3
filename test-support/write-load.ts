// Steady pixel writes for fault tests, over HTTP (as the page) or over a socket, recorded write by write: each placement has
// its own Idempotency-Key and is retried with it (like the page does) after a 503, a 502 or a
// dropped connection, so every acknowledgement can be audited against persistence afterwards.
import { randomBytes } from 'node:crypto';
import type { ApiClient } from './api-client.ts';
import type { BoardSync } from '../web/sync/board-sync.ts';

/** What one attempt got: 201 with the seq, or a status ('error': no answer) and what came with it. */
export interface AttemptAnswer { status: number | 'error'; seq?: number; body?: unknown }

/** A user placing pixels, over HTTP or over a socket. */
export interface LoadWriter {
  readonly userId: string;
  attempt(x: number, y: number, color: number, key: string, timeoutMs: number): Promise<AttemptAnswer>;
}

/** POST /api/pixels, as the page does. */
export function httpWriter(client: ApiClient): LoadWriter {
  return {
    userId: client.userId!,
    async attempt(x, y, color, key, timeoutMs) {
      try {
        const res = await fetch(`${client.baseUrl}/api/pixels`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}`, 'idempotency-key': key },
          body: JSON.stringify({ x, y, color }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await res.json()) as Record<string, unknown>;
        return { status: res.status, seq: body.seq as number, body };
      } catch {
        return { status: 'error' };
      }
    },
  };
}

/**
 * A `place` message over the client's socket, with the key. Its answers as HTTP's: placed is 201,
 * `unavailable` 503; not connected or no answer in time is no answer; any other refusal is a 400
 * (for a load with no caps, a bug).
 */
export function socketWriter(sync: BoardSync, userId: string): LoadWriter {
  return {
    userId,
    async attempt(x, y, color, key, timeoutMs) {
      const r = await sync.place(x, y, color, timeoutMs, key);
      if (r.ok) return { status: 201, seq: r.seq };
      if (r.error === 'unavailable') return { status: 503, body: r };
      // Not connected (its server was lost), no answer in time, or the attempt before, timed out
      // here, still being answered (one placement at a time per connection): no answer to this one.
      if (r.error === 'offline' || r.error === 'timeout' || r.error === 'rate_limited') return { status: 'error', body: r };
      return { status: 400, body: r };
    },
  };
}

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

  constructor(private readonly writers: LoadWriter[], private readonly options: WriteLoadOptions) {}

  start(): void {
    this.running = true;
    this.loops = this.writers.map((w) => this.loop(w).catch((err: unknown) => { this.failures.push((err as Error).message); }));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(writer: LoadWriter): Promise<void> {
    const every = 1000 / this.options.perWriterPerSecond;
    while (this.running) {
      const started = Date.now();
      await this.write(writer);
      await sleep(Math.max(0, every - (Date.now() - started)) * (0.5 + Math.random()));
    }
  }

  private async write(writer: LoadWriter): Promise<void> {
    const { width, height } = this.options;
    const x = Math.floor(Math.random() * width);
    const y = Math.floor(Math.random() * height);
    const color = Math.floor(Math.random() * 16);
    const key = randomBytes(12).toString('base64url');
    const deadline = Date.now() + this.options.giveUpAfterMs;
    for (let attempt = 0; ; attempt++) {
      const start = Date.now();
      const { status, seq, body } = await writer.attempt(x, y, color, key, this.options.attemptTimeoutMs);
      this.attempts.push({ start, end: Date.now(), status });
      if (status === 201) {
        this.acked.push({ key, seq: seq!, x, y, color, userId: writer.userId });
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
