// GET /api/config → board size (now: it may grow during an event), palette (with colour names),
// cooldown, how people sign in, the CAPTCHA (if any) and the defence level.
import { PALETTE, PALETTE_NAMES } from '../core/domain/palette.ts';
import { albHandler } from './http/handler.ts';
import { json } from './http/responses.ts';
import { services } from './runtime.ts';

export const handler = albHandler('get-config', async () => {
  const s = await services();
  const [size, defenceLevel] = await Promise.all([s.boardSize.refresh(), s.guard.defence.level()]);
  const captcha = s.guard.captcha ? { provider: 'turnstile', siteKey: s.guard.captcha.config.siteKey } : null;
  return json(200, {
    width: size.width, height: size.height, palette: PALETTE, names: PALETTE_NAMES, cooldownMs: s.config.cooldown.cooldownMs,
    signin: { mode: s.config.guard.mode, providers: s.guard.signin.providers() },
    proofOfWork: s.guard.pow.enabled, captcha, defenceLevel,
  }, { 'cache-control': 'public, max-age=30' });
});
