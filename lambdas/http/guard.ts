// The bot defence as the HTTP handlers apply it: who may place (sign-in mode, eligibility), the
// proof-of-work challenge a session or a placement needs, and the answers when one is missing.
import type { ALBEvent, ALBResult } from 'aws-lambda';
import type { Services } from '../../core/service/services.ts';
import type { Session } from '../../core/domain/session-token.ts';
import { INELIGIBLE_MESSAGES, SIGNIN_REQUIRED_MESSAGE } from '../../core/domain/ineligible.ts';
import { placementsPerChallenge, type PowCheck } from '../../core/guard/proof-of-work.ts';
import type { DefenceLevel } from '../../core/guard/guard-store.ts';
import { metrics } from '../../core/observability/telemetry.ts';
import { BadRequestError } from '../../core/errors.ts';
import { bodyBytes, header } from './request.ts';
import { errorResponse } from './responses.ts';

const FAILED: Record<Exclude<PowCheck, { ok: true }>['problem'], string> = {
  malformed: 'The challenge solution is not an ALTCHA payload.',
  invalid: 'The challenge solution is wrong or was not issued here.',
  expired: 'The challenge expired before it was solved. Solve the new one.',
  replayed: 'This challenge solution was used already. Solve the new one.',
};

/** A JSON body as an object ({} when there is none): POST /api/session takes an optional one. */
export function optionalJsonBody(event: ALBEvent): Record<string, unknown> {
  const body = bodyBytes(event);
  if (body.length === 0) return {};
  if (body.length > 4096) throw new BadRequestError('payload_too_large', 'The body must be at most 4096 bytes.');
  if (!/^application\/json\s*(;|$)/i.test(header(event, 'content-type') ?? '')) {
    throw new BadRequestError('unsupported_media_type', 'Send the body as Content-Type: application/json.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new BadRequestError('invalid_json', 'The body is not valid JSON.', { cause: err });
  }
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {};
}

/** 403 with a fresh challenge at the current level: solve it and send the request again with {"challenge": <solution>}. */
export async function challengeAnswer(s: Services, level: DefenceLevel, error: 'challenge_required' | 'challenge_failed', message: string): Promise<ALBResult> {
  metrics.count('challenges', { outcome: error === 'challenge_required' ? 'issued' : 'failed' });
  return errorResponse(403, error, message, {}, { challenge: await s.guard.pow.challenge(level), level });
}

/**
 * Checks a solution sent with a request: null when it is good (and spent), else the 403 to send.
 * The caller has already decided that a challenge is needed.
 */
export async function checkSolution(s: Services, level: DefenceLevel, solution: unknown, missing: string): Promise<{ level: DefenceLevel } | ALBResult> {
  if (solution === undefined || solution === null) return challengeAnswer(s, level, 'challenge_required', missing);
  const check = await s.guard.pow.verify(solution);
  if (!check.ok) return challengeAnswer(s, level, 'challenge_failed', FAILED[check.problem]);
  metrics.count('challenges', { outcome: 'solved' });
  return { level: check.level };
}

/** Why this session may not place at all (sign-in mode, eligibility), or null. */
export function refusal(s: Services, session: Session): ALBResult | null {
  if (session.account?.ineligible) {
    const reason = session.account.ineligible;
    return errorResponse(403, 'not_eligible', INELIGIBLE_MESSAGES[reason], {}, { ineligibleReason: reason });
  }
  if (!session.account && s.config.guard.mode === 'signin-required') return errorResponse(403, 'signin_required', SIGNIN_REQUIRED_MESSAGE);
  return null;
}

/**
 * Before a placement: the credit a solved challenge bought (taken now, given back if the pixel is
 * not placed), or the 403 asking for a challenge. `{ credit: null }`: none needed.
 */
export async function takePlacementCredit(s: Services, session: Session, solution: unknown): Promise<{ credit: DefenceLevel | null } | ALBResult> {
  const level = await s.guard.defence.level();
  const per = placementsPerChallenge(s.guard.pow, level, session.account !== undefined);
  if (per === Infinity) return { credit: null };
  if (solution !== undefined) {
    const solved = await checkSolution(s, level, solution, '');
    if ('statusCode' in solved) return solved;
    await s.guard.store.grantCredits(session.userId, solved.level, per, s.config.sessionMaxAgeMs);
  }
  const credit = await s.guard.store.takeCredit(session.userId, level);
  if (credit !== null) return { credit };
  return challengeAnswer(s, level, 'challenge_required', level > 0
    ? 'The board is under heavy load from bots: solve a challenge for each pixel for now.'
    : 'Solve a challenge to keep placing pixels (one every few placements proves you are not a bot).');
}
