// Wraps every handler: a malformed request becomes 400, a store fault 503 `unavailable` with
// Retry-After (saying which store), anything unexpected a 500 `internal` (logged), never a
// crash or an HTML error page.
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { BadRequestError, PersistenceUnavailableError, RebuildInProgressError, StoreUnavailableError } from '../../core/errors.ts';
import { ConfigError } from '../../core/config.ts';
import { retryAfterSeconds } from '../../core/domain/cooldown.ts';
import { countEvent } from '../../core/observability.ts';
import { errorResponse } from './responses.ts';

export type AlbHandler = (event: ALBEvent) => Promise<ALBResult>;

/** Whether an invocation carries what an ALB event always has (the Invoke API lets callers send anything). */
function wellFormed(event: unknown): event is ALBEvent {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Record<string, unknown>;
  const stringMap = (v: unknown) => v === undefined || v === null
    || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((x) => typeof x === 'string'));
  return typeof e.httpMethod === 'string' && typeof e.path === 'string' && e.path.startsWith('/')
    && stringMap(e.headers) && stringMap(e.queryStringParameters)
    && (e.body === undefined || e.body === null || typeof e.body === 'string')
    && (e.isBase64Encoded === undefined || typeof e.isBase64Encoded === 'boolean');
}

/** What a 503 tells people: refused up front means nothing happened; otherwise a retry with the same key says. */
function unavailableMessage(err: StoreUnavailableError): string {
  if (err instanceof RebuildInProgressError) return 'The board is being restored; nothing was changed. Try again in a moment.';
  if (err instanceof PersistenceUnavailableError) return 'Storage is briefly unavailable; nothing was changed. Try again in a moment.';
  return 'The service is briefly unavailable. Try again in a moment (with the same Idempotency-Key, a retry never places twice).';
}

export function albHandler(name: string, run: AlbHandler): AlbHandler {
  return async (event) => {
    if (!wellFormed(event)) {
      countEvent('http.malformed_event');
      return errorResponse(400, 'invalid_request', 'The request is not a well-formed HTTP request.');
    }
    try {
      return await run(event);
    } catch (err) {
      if (err instanceof BadRequestError) return errorResponse(400, err.code, err.message);
      if (err instanceof StoreUnavailableError) {
        countEvent(`http.unavailable.${err.store ?? 'unknown'}`);
        console.warn(`[${name}] ${err.name}: ${err.message}`);
        const retryAfter = err instanceof RebuildInProgressError ? retryAfterSeconds(err.retryAfterMs) : 1;
        return errorResponse(503, 'unavailable', unavailableMessage(err), { 'retry-after': String(retryAfter) });
      }
      countEvent('http.internal');
      if (err instanceof ConfigError) console.error(`[${name}] bad configuration: ${err.message}`);
      else console.error(`[${name}] failed`, err);
      return errorResponse(500, 'internal', 'Something went wrong on our side.');
    }
  };
}
