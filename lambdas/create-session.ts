// POST /api/session [{"challenge": <ALTCHA solution>, "captcha": <Turnstile token>}] → 201 {userId,
// token} and the session cookie. Capped per client address; with proof of work on (the default)
// it needs a solved challenge from GET /api/challenge, and buys the first placements with it.
import { newUserId, signSession } from '../core/domain/session-token.ts';
import { retryAfterSeconds } from '../core/domain/cooldown.ts';
import { placementsPerChallenge } from '../core/guard/proof-of-work.ts';
import { SIGNIN_REQUIRED_MESSAGE } from '../core/domain/ineligible.ts';
import { albHandler } from './http/handler.ts';
import { requestIp, viewerUsedHttps } from './http/request.ts';
import { errorResponse, json } from './http/responses.ts';
import { sessionCookie } from './http/session.ts';
import { checkSolution, optionalJsonBody } from './http/guard.ts';
import { services } from './runtime.ts';

export const handler = albHandler('create-session', async (event) => {
  const s = await services();
  const body = optionalJsonBody(event);
  if (s.config.guard.mode === 'signin-required') {
    return errorResponse(403, 'signin_required', SIGNIN_REQUIRED_MESSAGE, {}, { providers: s.guard.signin.providers() });
  }
  const level = await s.guard.defence.level();
  if (level >= 2) {
    return errorResponse(503, 'sessions_paused', 'New sessions are paused while the board is flooded with bots. You can keep watching; try again in a few minutes.',
      { 'retry-after': '60' }, { retryAfterMs: 60_000 });
  }
  const ip = requestIp(event, s.config.clientAddress);
  let solvedAt: Awaited<ReturnType<typeof s.guard.store.takeCredit>> = null;
  if (s.guard.pow.enabled) {
    const solved = await checkSolution(s, level, body.challenge, 'Solve the challenge (GET /api/challenge) and send it as {"challenge": <solution>} to start a session.');
    if ('statusCode' in solved) return solved;
    solvedAt = solved.level;
  }
  if (s.guard.captcha) {
    if (body.captcha === undefined) return errorResponse(403, 'captcha_required', 'Complete the CAPTCHA and send its token as {"captcha": <token>}.');
    const check = await s.guard.captcha.verify(body.captcha, ip);
    if (!check.ok) return errorResponse(403, 'captcha_failed', 'The CAPTCHA was not solved, has expired or was used already. Try it again.', {}, { codes: check.codes });
  }
  const now = Date.now();
  const slot = await s.store.takeSessionSlot(ip, now);
  if (!slot.allowed) {
    return errorResponse(429, 'rate_limited', 'Too many sessions were created from your address. Try again later.',
      { 'retry-after': String(retryAfterSeconds(slot.retryAfterMs)) }, { retryAfterMs: slot.retryAfterMs });
  }
  const userId = newUserId();
  const per = placementsPerChallenge(s.guard.pow, level, false);
  if (solvedAt !== null && per !== Infinity) await s.guard.store.grantCredits(userId, solvedAt, per, s.config.sessionMaxAgeMs);
  const token = signSession(s.sessionSecret, { userId, issuedAt: now });
  const secure = viewerUsedHttps(event, s.config.clientAddress);
  return json(201, { userId, token }, { 'set-cookie': sessionCookie(token, s.config.sessionMaxAgeMs, secure) });
});
