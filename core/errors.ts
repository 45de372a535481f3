// The service's errors: one hierarchy, each with a `name` and the `cause` it wraps, so a log
// line or a 503 can say which store failed and why.

export type StoreName = 'redis' | 'cassandra' | 'file' | 'embedded' | 'lambda';

export class PlaceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A backing store cannot be reached or failed: requests answer 503, nothing is acknowledged. */
export class StoreUnavailableError extends PlaceError {
  constructor(message: string, options?: { cause?: unknown; store?: StoreName }) {
    super(message, options);
    this.store = options?.store ?? null;
  }

  readonly store: StoreName | null;
}

/** Persistence is known to be down: writes are refused before they touch the live board. */
export class PersistenceUnavailableError extends StoreUnavailableError {}

/** The live board is being restored (writes are fenced until it is done). */
export class RebuildInProgressError extends StoreUnavailableError {
  constructor(message: string, readonly retryAfterMs: number, options?: { cause?: unknown; store?: StoreName }) {
    super(message, options);
  }
}

/** Data read back from a store is not in the format this code writes. */
export class DataFormatError extends PlaceError {}

/** The request cannot be understood (undecodable query, malformed event): 400 with `code`. */
export class BadRequestError extends PlaceError {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A request understood but refused (404 not_found, 409 conflict, 429 …): answered with its status and code. */
export class RefusedError extends PlaceError {
  constructor(readonly status: number, readonly code: string, message: string, readonly extra: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No writer process took the request (none could be reached): nothing was sent. */
export class WriterUnavailableError extends PlaceError {}

/** A writer took the request and stopped before answering: whether it placed the pixel is unknown. */
export class WriterLostError extends PlaceError {}

/** A writer took the request and did not answer in time (it may yet place the pixel). */
export class WriterTimeoutError extends WriterLostError {}
