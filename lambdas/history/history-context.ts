// What the history functions share: their context from the services, the answer to a range
// too large to replay, integer query parameters, and a small per-container cache of answers.
import type { ALBEvent, ALBResult } from 'aws-lambda';
import type { Services } from '../../core/service/services.ts';
import { BadRequestError } from '../../core/errors.ts';
import { RangeTooLargeError, type HistoryContext } from '../../core/history/history-plan.ts';
import { errorResponse } from '../http/responses.ts';
import { query } from '../http/request.ts';

export function historyContext(s: Services): HistoryContext {
  return { snapshots: s.snapshots, log: s.log, store: s.store, size: s.config.board, maxReplay: s.config.community.historyMaxReplay };
}

export function rangeTooLarge(err: RangeTooLargeError): ALBResult {
  return errorResponse(422, 'range_too_large', `Answering would replay ${err.placements} placements; at most ${err.limit} are replayed per request. Ask for a shorter window.`);
}

/** Runs `answer`, turning a range too large into its 422. */
export async function orTooLarge(answer: () => Promise<ALBResult>): Promise<ALBResult> {
  try {
    return await answer();
  } catch (err) {
    if (err instanceof RangeTooLargeError) return rangeTooLarge(err);
    throw err;
  }
}

/** An optional non-negative integer query parameter; 400 invalid_<name> otherwise. */
export function intQuery(event: ALBEvent, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = query(event, name);
  if (raw === undefined) return undefined;
  if (!/^\d{1,16}$/.test(raw) || Number(raw) > max) throw new BadRequestError(`invalid_${name}`, `"${name}" must be an integer from 0 to ${max}.`);
  return Number(raw);
}

/** The last few answers of this container, by their parameters (a burst of one URL past the CDN computes once). */
export class RecentAnswers<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly size: number) {}

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
  }
}
