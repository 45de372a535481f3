// GET /api/auth/{provider}/start → 302 to the provider's sign-in page (PKCE, state and, for
// OpenID Connect, nonce), with the pending login sealed in a short-lived cookie.
import { albHandler } from './http/handler.ts';
import { viewerUsedHttps } from './http/request.ts';
import { redirect, requestOrigin, signinError } from './http/signin-pages.ts';
import { loginCookie } from '../core/guard/signin/login-cookie.ts';
import { SIGNIN_FAILURES } from '../core/guard/signin/signin.ts';
import { services } from './runtime.ts';

export const handler = albHandler('auth-start', async (event) => {
  const s = await services();
  const provider = event.path.split('/')[3] ?? '';
  if (!s.guard.signin.offers(provider)) return signinError(event, 404, 'unknown_provider', SIGNIN_FAILURES.unknown_provider);
  const started = await s.guard.signin.start(provider, requestOrigin(event, s.config.guard.publicUrl, s.config.clientAddress));
  if ('problem' in started) return signinError(event, 503, started.problem, SIGNIN_FAILURES[started.problem], { 'retry-after': '5' });
  return redirect(started.location, { 'set-cookie': loginCookie(started.sealed, viewerUsedHttps(event, s.config.clientAddress)) });
});
