// GET /api/config → board size, palette (with colour names) and cooldown. Needs no store.
import { PALETTE, PALETTE_NAMES } from '../core/domain/palette.ts';
import { albHandler } from './http/handler.ts';
import { json } from './http/responses.ts';
import { runtimeConfig } from './runtime.ts';

export const handler = albHandler('get-config', async () => {
  const c = runtimeConfig();
  return json(200, { width: c.board.width, height: c.board.height, palette: PALETTE, names: PALETTE_NAMES, cooldownMs: c.cooldown.cooldownMs },
    { 'cache-control': 'public, max-age=60' });
});
