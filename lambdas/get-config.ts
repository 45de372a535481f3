// GET /api/config → board size (now: it may grow during an event), palette (with colour names) and cooldown.
import { PALETTE, PALETTE_NAMES } from '../core/domain/palette.ts';
import { albHandler } from './http/handler.ts';
import { json } from './http/responses.ts';
import { services } from './runtime.ts';

export const handler = albHandler('get-config', async () => {
  const s = await services();
  const size = await s.boardSize.refresh();
  return json(200, { width: size.width, height: size.height, palette: PALETTE, names: PALETTE_NAMES, cooldownMs: s.config.cooldown.cooldownMs },
    { 'cache-control': 'public, max-age=60' });
});
