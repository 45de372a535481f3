// POST /api/session → 201 {userId, token} and the session cookie. Capped per client IP.
import { newUserId, signSession } from '../core/domain/session-token.ts';
import { retryAfterSeconds } from '../core/domain/cooldown.ts';
import { albHandler } from './http/handler.ts';
import { requestIp, viewerUsedHttps } from './http/request.ts';
import { errorResponse, json } from './http/responses.ts';
import { sessionCookie } from './http/session.ts';
import { services } from './runtime.ts';

export const handler = albHandler('create-session', async (event) => {
  const s = await services();
  const now = Date.now();
  const slot = await s.store.takeSessionSlot(requestIp(event, s.config.clientAddress), now);
  if (!slot.allowed) {
    return errorResponse(429, 'rate_limited', 'Too many sessions were created from your address. Try again later.',
      { 'retry-after': String(retryAfterSeconds(slot.retryAfterMs)) }, { retryAfterMs: slot.retryAfterMs });
  }
  const userId = newUserId();
  const token = signSession(s.sessionSecret, { userId, issuedAt: now });
  const secure = viewerUsedHttps(event, s.config.clientAddress);
  return json(201, { userId, token }, { 'set-cookie': sessionCookie(token, s.config.sessionMaxAgeMs, secure) });
});
