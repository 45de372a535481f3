// The pending records in Redis (their format: pending-calls.ts): read back for a drain, and
// removed once persisted.
import type { Redis } from 'ioredis';
import type { Placement } from './board-store.ts';
import { decodePendingCall, isPendingCall, parsePendingMember, type PendingCallTracker } from './pending-calls.ts';
import type { RedisKeys } from './redis-keys.ts';

/**
 * The placements of the pending records scored before `placedBefore`, oldest record first, at
 * most `limit` records (a call's record brings all of its placements). The calls' placements
 * are tracked, so the call's record goes once all of them are persisted.
 */
export async function readPendingPlacements(client: Redis, k: RedisKeys, tracker: PendingCallTracker, placedBefore: number, limit: number): Promise<Placement[]> {
  const members = await client.zrangebyscore(k.pending, '-inf', `(${placedBefore}`, 'LIMIT', 0, limit);
  const calls = members.filter(isPendingCall);
  const records = calls.length ? await client.hmgetBuffer(k.pendingCalls, ...calls) : [];
  const placements: Placement[] = [];
  let c = 0;
  for (const member of members) {
    if (!isPendingCall(member)) {
      const p = parsePendingMember(member);
      if (p) placements.push(p);
      continue;
    }
    const record = records[c++];
    // Confirmed since its member was read (removePendingRecords removes both at once): nothing to drain.
    if (!record) continue;
    const placed = decodePendingCall(record);
    tracker.track(member, placed.map((p) => p.seq));
    placements.push(...placed);
  }
  return placements;
}

/** Removes persisted records: members of the pending set, and with a call's member its placements, in one step. */
export async function removePendingRecords(client: Redis, k: RedisKeys, members: string[]): Promise<void> {
  const calls = members.filter(isPendingCall);
  if (calls.length === 0) {
    await client.zrem(k.pending, ...members);
    return;
  }
  const done = await client.multi().zrem(k.pending, ...members).hdel(k.pendingCalls, ...calls).exec();
  const failed = done?.find(([err]) => err)?.[0];
  if (!done || failed) throw failed ?? new Error('the transaction removing pending records was discarded');
}
