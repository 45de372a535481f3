// GET /api/auth/{provider}/start → 302 to the provider's sign-in page (PKCE, state and, for
// OpenID Connect, nonce), with the pending login sealed in a short-lived cookie.
// GET /api/auth/{provider}/callback?code&state → checks the answer (state, PKCE, nonce, ID token),
// then sets the session cookie of the account's stable user id and returns to the board. Any
// problem: a page (or JSON) saying what, and no session.
// One function for both (one Lambda fewer in a stack near CloudFormation's 500 resources).
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { accountUserId, signSession } from '../core/domain/session-token.ts';
import { SIGNIN_FAILURES } from '../core/guard/signin/signin.ts';
import { clearLoginCookie, LOGIN_COOKIE, loginCookie } from '../core/guard/signin/login-cookie.ts';
import { log } from '../core/observability/telemetry.ts';
import { albHandler } from './http/handler.ts';
import { cookie, viewerUsedHttps } from './http/request.ts';
import { errorResponse } from './http/responses.ts';
import { sessionCookie } from './http/session.ts';
import { redirect, requestOrigin, signinError } from './http/signin-pages.ts';
import { services } from './runtime.ts';

export const handler = albHandler('auth', async (event) => {
  const parts = event.path.split('/');
  if (parts.length === 5 && parts[4] === 'start') return start(event);
  if (parts.length === 5 && parts[4] === 'callback') return callback(event);
  return errorResponse(404, 'not_found', 'No such sign-in step: use /api/auth/{provider}/start.');
});

async function start(event: ALBEvent): Promise<ALBResult> {
  const s = await services();
  const provider = event.path.split('/')[3] ?? '';
  if (!s.guard.signin.offers(provider)) return signinError(event, 404, 'unknown_provider', SIGNIN_FAILURES.unknown_provider);
  const started = await s.guard.signin.start(provider, requestOrigin(event, s.config.guard.publicUrl, s.config.clientAddress));
  if ('problem' in started) return signinError(event, 503, started.problem, SIGNIN_FAILURES[started.problem], { 'retry-after': '5' });
  return redirect(started.location, { 'set-cookie': loginCookie(started.sealed, viewerUsedHttps(event, s.config.clientAddress)) });
}

async function callback(event: ALBEvent): Promise<ALBResult> {
  const s = await services();
  const provider = event.path.split('/')[3] ?? '';
  const secure = viewerUsedHttps(event, s.config.clientAddress);
  // The ALB passes the query as the client sent it: rebuilt raw, so `iss` and the rest compare exactly.
  const query = Object.entries(event.queryStringParameters ?? {}).map(([k, v]) => `${k}=${v ?? ''}`).join('&');
  const origin = requestOrigin(event, s.config.guard.publicUrl, s.config.clientAddress);
  const result = await s.guard.signin.finish(provider, origin, query, cookie(event, LOGIN_COOKIE));
  if (!result.ok) {
    log.info('sign-in refused', { provider, problem: result.problem });
    const status = result.problem === 'provider_unavailable' ? 503 : result.problem === 'unknown_provider' ? 404 : 400;
    return signinError(event, status, result.problem, SIGNIN_FAILURES[result.problem], { 'set-cookie': clearLoginCookie(secure) });
  }
  const userId = accountUserId(s.sessionSecret, result.provider, result.subject);
  const token = signSession(s.sessionSecret, {
    userId, issuedAt: Date.now(), account: { provider: result.provider, displayName: result.displayName, ineligible: result.ineligible },
  });
  return redirect('/#signed-in', { 'set-cookie': sessionCookie(token, s.config.sessionMaxAgeMs, secure) });
}
