// What the write script (place-script.ts) answers, and what each answer means for the write.
import type { BoardStatus } from '../domain/moderation.ts';
import type { PlaceOutcome, PlaceRequest } from './board-store.ts';

/** Slots of the script's flat reply per write: the kind, then up to four values (placeReplies splits it). */
export const REPLY_WIDTH = 5;

export type PlaceReply = [string, (number | string | null)?, (number | string | null)?, (number | string | null)?, (number | null)?];

/** The script's flat reply as one reply per write; null when it does not hold `writes` of them. */
export function placeReplies(flat: readonly (string | number | null)[], writes: number): PlaceReply[] | null {
  if (flat.length !== writes * REPLY_WIDTH) return null;
  const replies: PlaceReply[] = [];
  for (let at = 0; at < flat.length; at += REPLY_WIDTH) replies.push(flat.slice(at, at + REPLY_WIDTH) as PlaceReply);
  return replies;
}

/** What one write's reply from the write script means (PLACE_PIXELS_LUA lists the replies). */
export function placeOutcome(request: PlaceRequest, reply: PlaceReply): PlaceOutcome {
  switch (reply[0]) {
    case 'placed': {
      const oldest = Number(reply[3]);
      return {
        status: 'placed',
        placement: {
          seq: Number(reply[1]), x: request.x, y: request.y, color: request.color, userId: request.userId,
          placedAt: request.now, version: Number(reply[2]),
        },
        oldestPendingAt: oldest < 0 ? null : oldest,
        cooldownMs: Number(reply[4]),
      };
    }
    case 'duplicate': {
      const [seq, x, y, color, placedAt, version] = String(reply[1]).split(':').map(Number) as number[];
      return { status: 'duplicate', placement: { seq: seq!, x: x!, y: y!, color: color!, placedAt: placedAt!, version: version!, userId: request.userId } };
    }
    case 'cooldown': return { status: 'cooldown', retryAfterMs: Number(reply[1]) };
    case 'ip_limited': return { status: 'ip_limited', retryAfterMs: Number(reply[1]) };
    case 'fenced': return { status: 'fenced', retryAfterMs: Number(reply[1]) };
    case 'revoked': return { status: 'revoked' };
    case 'closed': {
      const state = String(reply[1]) as BoardStatus['state'];
      return { status: 'closed', state, message: reply[2] ? String(reply[2]) : null, opensAt: reply[3] ? Number(reply[3]) : null };
    }
    case 'banned': return { status: 'banned', until: Number(reply[1]) || null };
    case 'protected': return { status: 'protected' };
    case 'shadow': {
      const placement = { seq: Number(reply[1]), x: request.x, y: request.y, color: request.color, userId: request.userId, placedAt: request.now, version: 0 };
      return { status: 'shadow', placement, cooldownMs: Number(reply[2]) };
    }
    case 'out_of_bounds': return { status: 'out_of_bounds', width: Number(reply[1]), height: Number(reply[2]) };
    default: return { status: 'no_board' };
  }
}
