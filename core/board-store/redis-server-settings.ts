// Settings of the Redis server itself that the write path depends on for its cost: one list,
// passed as flags to every Redis the project starts (local/processes/redis-process.ts) and set in
// ElastiCache's parameter group (infra/redis-cluster.ts).

/**
 * `zset-max-listpack-entries 0`: the pending set (placements not yet confirmed in Cassandra) is
 * a sorted set that holds a few batches and empties often. Below 128 members whose text is at
 * most 64 bytes, Redis keeps a sorted set as one packed list, where each add and each removal
 * scans the whole list. Kept always as a skip list and hash, each add and removal is a lookup,
 * for a few KB of memory. It saved about 10 % of the instructions per write at light load when
 * each write had a member of 60–70 bytes (docs/PERFORMANCE.md); since a write call has one
 * member (its last seq; moderators' placements still one each), the set is a member per call in
 * flight and the setting matters far less (not measured again). ElastiCache lists it as modifiable (an integer from 0, applied at once) among
 * Redis OSS 7's parameters, and calls most Valkey 8 parameters compatible with Redis OSS 7.1's
 * (its "Engine specific parameters" page).
 */
export const REDIS_SERVER_SETTINGS: Readonly<Record<string, string>> = {
  'zset-max-listpack-entries': '0',
};
