// GET /api/config → board size (now: it may grow during an event), palette (with colour names), the
// board's state and cooldown in force (an admin changes them live; socket clients hear it at once),
// how people sign in, the CAPTCHA (if any) and the defence level.
import { PALETTE, PALETTE_NAMES } from '../core/domain/palette.ts';
import { albHandler } from './http/handler.ts';
import { json } from './http/responses.ts';
import { services } from './runtime.ts';
import { currentBoardStatus } from '../core/moderation/moderation-service.ts';

export const handler = albHandler('get-config', async () => {
  const s = await services();
  const [size, status, defenceLevel] = await Promise.all([s.boardSize.refresh(), currentBoardStatus(s), s.guard.defence.level()]);
  const captcha = s.guard.captcha ? { provider: 'turnstile', siteKey: s.guard.captcha.config.siteKey } : null;
  return json(200, {
    width: size.width, height: size.height, palette: PALETTE, names: PALETTE_NAMES, cooldownMs: status.cooldownMs,
    state: status.state, message: status.message, opensAt: status.opensAt,
    signin: { mode: s.config.guard.mode, providers: s.guard.signin.providers() },
    proofOfWork: s.guard.pow.enabled, captcha, defenceLevel,
  }, { 'cache-control': 'public, max-age=5' }); // a state change reaches readers within seconds (sockets: at once)
});
