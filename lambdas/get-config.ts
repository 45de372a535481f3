// GET /api/config → board size, palette, and the board's state and cooldown in force (an admin changes them live).
import { PALETTE } from '../core/domain/palette.ts';
import { albHandler } from './http/handler.ts';
import { json } from './http/responses.ts';
import { services } from './runtime.ts';
import { currentBoardStatus } from '../core/moderation/moderation-service.ts';

export const handler = albHandler('get-config', async () => {
  const s = await services();
  const c = s.config;
  const status = await currentBoardStatus(s);
  return json(200, {
    width: c.board.width, height: c.board.height, palette: PALETTE, cooldownMs: status.cooldownMs,
    state: status.state, message: status.message, opensAt: status.opensAt,
  }, { 'cache-control': 'no-cache' });
});
