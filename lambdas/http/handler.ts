// Wraps every handler: a store fault becomes 503 `unavailable` with Retry-After, anything
// unexpected a 500 `internal` (logged), never a crash or an HTML error page.
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { StoreUnavailableError } from '../../core/board-store/board-store.ts';
import { ConfigError } from '../../core/config.ts';
import { errorResponse } from './responses.ts';

export type AlbHandler = (event: ALBEvent) => Promise<ALBResult>;

export function albHandler(name: string, run: AlbHandler): AlbHandler {
  return async (event) => {
    try {
      return await run(event);
    } catch (err) {
      if (err instanceof StoreUnavailableError) {
        console.warn(`[${name}] store unavailable: ${err.message}`);
        return errorResponse(503, 'unavailable', 'The service is briefly unavailable. Please try again in a moment.', { 'retry-after': '1' });
      }
      if (err instanceof ConfigError) console.error(`[${name}] bad configuration: ${err.message}`);
      else console.error(`[${name}] failed`, err);
      return errorResponse(500, 'internal', 'Something went wrong on our side.');
    }
  };
}
