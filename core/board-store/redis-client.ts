// The connection options every Redis adapter (board store, presence, guard) uses.
import type { RedisOptions } from 'ioredis';

/** Fail fast while Redis is away, so requests get a 503 instead of hanging in a queue. */
export function redisClientOptions(): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    // Commands issued in the same tick go out in one write: fewer syscalls per pixel write.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 1000),
  };
}
