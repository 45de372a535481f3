// What the write script (place-script.ts) answers, and what each answer means for the write.
// The answer is one flat array: a header the call's placements share, then each write's kind and
// that kind's values. A placement is its kind alone: its seq, version and the oldest pending
// placement before it follow from the header and the writes before it, as the script made them,
// so the usual write costs the script one slot instead of five (docs/PERFORMANCE.md). When every
// write of the call placed, as usually, the header alone says so: no slot at all.
import type { BoardStatus } from '../domain/moderation.ts';
import type { PlaceOutcome, PlaceRequest } from './board-store.ts';
import { nextVersion } from '../domain/placement.ts';

/** Header slots: the cooldown in force (ms), the first placement's seq and version, the oldest pending placement's time before it (-1: none). */
export const REPLY_HEADER = 4;

/** How many values follow each kind of answer (PLACE_PIXELS_LUA's returns). */
export const REPLY_VALUES = {
  placed: 0, duplicate: 1, cooldown: 1, ip_limited: 1, fenced: 1, revoked: 0, out_of_bounds: 2, no_board: 0,
  closed: 3, banned: 1, protected: 0, shadow: 2,
} as const;
export type ReplyKind = keyof typeof REPLY_VALUES;

type Slot = string | number | null;

/** Each write's outcome, in order; null when the flat reply does not hold one answer for each of `requests`. */
export function placeOutcomes(requests: readonly PlaceRequest[], flat: readonly Slot[]): PlaceOutcome[] | null {
  if (flat.length < REPLY_HEADER) return null;
  const cooldownMs = Number(flat[0]);
  let seq = Number(flat[1]);
  let version = Number(flat[2]);
  let oldest = Number(flat[3]);
  let placed = 0;
  const outcomes: PlaceOutcome[] = [];
  const allPlaced = flat.length === REPLY_HEADER;
  let at = REPLY_HEADER;
  for (const request of requests) {
    if (!allPlaced) {
      const kind = flat[at] as ReplyKind;
      const count: number | undefined = REPLY_VALUES[kind];
      if (count === undefined || at + 1 + count > flat.length) return null;
      const values = flat.slice(at + 1, at + 1 + count);
      at += 1 + count;
      if (kind !== 'placed') {
        outcomes.push(otherOutcome(request, kind, values));
        continue;
      }
    }
    // As the script does for each placement: the next seq and version, and the oldest pending one moves back to it.
    if (placed++ > 0) {
      seq += 1;
      version = nextVersion(version, request.now);
    }
    const oldestBefore = oldest;
    if (oldest < 0 || request.now < oldest) oldest = request.now;
    outcomes.push({
      status: 'placed',
      placement: { seq, x: request.x, y: request.y, color: request.color, userId: request.userId, placedAt: request.now, version },
      oldestPendingAt: oldestBefore < 0 ? null : oldestBefore,
      cooldownMs,
    });
  }
  return allPlaced || at === flat.length ? outcomes : null;
}

/** What one write's answer other than a placement means. */
function otherOutcome(request: PlaceRequest, kind: Exclude<ReplyKind, 'placed'>, v: Slot[]): PlaceOutcome {
  switch (kind) {
    case 'duplicate': {
      const [seq, x, y, color, placedAt, version] = String(v[0]).split(':').map(Number) as number[];
      return { status: 'duplicate', placement: { seq: seq!, x: x!, y: y!, color: color!, placedAt: placedAt!, version: version!, userId: request.userId } };
    }
    case 'cooldown': return { status: 'cooldown', retryAfterMs: Number(v[0]) };
    case 'ip_limited': return { status: 'ip_limited', retryAfterMs: Number(v[0]) };
    case 'fenced': return { status: 'fenced', retryAfterMs: Number(v[0]) };
    case 'revoked': return { status: 'revoked' };
    case 'closed': {
      const state = String(v[0]) as BoardStatus['state'];
      return { status: 'closed', state, message: v[1] ? String(v[1]) : null, opensAt: v[2] ? Number(v[2]) : null };
    }
    case 'banned': return { status: 'banned', until: Number(v[0]) || null };
    case 'protected': return { status: 'protected' };
    case 'shadow': {
      const placement = { seq: Number(v[0]), x: request.x, y: request.y, color: request.color, userId: request.userId, placedAt: request.now, version: 0 };
      return { status: 'shadow', placement, cooldownMs: Number(v[1]) };
    }
    case 'out_of_bounds': return { status: 'out_of_bounds', width: Number(v[0]), height: Number(v[1]) };
    case 'no_board': return { status: 'no_board' };
  }
}
