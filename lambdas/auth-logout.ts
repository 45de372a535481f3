// POST /api/auth/logout → 204 and the session cookie cleared (this browser; the account's other
// sessions stay signed in: `npm run sessions -- revoke <userId>` ends them all).
import { albHandler } from './http/handler.ts';
import { viewerUsedHttps } from './http/request.ts';
import { empty } from './http/responses.ts';
import { SESSION_COOKIE } from './http/session.ts';
import { services } from './runtime.ts';

export const handler = albHandler('auth-logout', async (event) => {
  const s = await services();
  const secure = viewerUsedHttps(event, s.config.clientAddress) ? '; Secure' : '';
  return empty(204, { 'cache-control': 'no-store', 'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0${secure}` });
});
