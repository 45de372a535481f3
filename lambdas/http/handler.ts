// Wraps every handler: a malformed request becomes 400, a store fault 503 `unavailable` with
// Retry-After (saying which store), anything unexpected a 500 `internal` (logged), never a
// crash or an HTML error page.
import { randomUUID } from 'node:crypto';
import type { ALBEvent, ALBResult, Context } from 'aws-lambda';
import { BadRequestError, PersistenceUnavailableError, RebuildInProgressError, RefusedError, StoreUnavailableError } from '../../core/errors.ts';
import { ConfigError } from '../../core/config.ts';
import { retryAfterSeconds } from '../../core/domain/cooldown.ts';
import { countEvent, describeError, log, metrics, telemetry } from '../../core/observability/telemetry.ts';
import { errorResponse } from './responses.ts';

/** An ALB target handler. The context is Lambda's; the local runner passes one with a fresh request id. */
export type AlbHandler = (event: ALBEvent, context?: Pick<Context, 'awsRequestId'> & Partial<Context>) => Promise<ALBResult>;

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
  return async (event, context) => {
    const t = telemetry();
    t.startInvocation?.({ functionName: name, ...context, awsRequestId: context?.awsRequestId ?? randomUUID() });
    try {
      if (!wellFormed(event)) {
        countEvent('http.malformed_event');
        return errorResponse(400, 'invalid_request', 'The request is not a well-formed HTTP request.');
      }
      return await run(event, context);
    } catch (err) {
      if (err instanceof BadRequestError) return errorResponse(400, err.code, err.message);
      if (err instanceof RefusedError) return errorResponse(err.status, err.code, err.message, {}, err.extra);
      if (err instanceof StoreUnavailableError) {
        metrics.count('unavailable', { store: err.store ?? 'unknown' });
        log.warn('answered 503: a store is unavailable', { handler: name, error: describeError(err) });
        const retryAfter = err instanceof RebuildInProgressError ? retryAfterSeconds(err.retryAfterMs) : 1;
        return errorResponse(503, 'unavailable', unavailableMessage(err), { 'retry-after': String(retryAfter) });
      }
      metrics.count('failures', { what: `handler:${name}` });
      log.error(err instanceof ConfigError ? 'bad configuration' : 'handler failed', { handler: name, error: describeError(err) });
      return errorResponse(500, 'internal', 'Something went wrong on our side.');
    } finally {
      t.endInvocation?.();
    }
  };
}
