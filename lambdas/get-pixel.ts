// GET /api/pixels/{x}/{y} → who placed the pixel and when.
import { parseCoordinates } from '../core/domain/pixel-write.ts';
import { albHandler } from './http/handler.ts';
import { errorResponse, json } from './http/responses.ts';
import { services } from './runtime.ts';

export const handler = albHandler('get-pixel', async (event) => {
  const s = await services();
  const [, xs = '', ys = ''] = event.path.match(/^\/api\/pixels\/([^/]*)\/([^/]*)\/?$/) ?? [];
  // Inside the board as last seen here, or else as it is now (it may have grown since).
  const at = parseCoordinates(xs, ys, s.boardSize.value) ?? parseCoordinates(xs, ys, await s.boardSize.refresh());
  if (!at) {
    const { width, height } = s.boardSize.value;
    return errorResponse(400, 'invalid_pixel', `Coordinates must be integers with 0 ≤ x < ${width} and 0 ≤ y < ${height}.`);
  }
  const p = await s.log.pixel(at.x, at.y);
  if (!p) return errorResponse(404, 'not_found', `Nobody has placed pixel (${at.x}, ${at.y}) yet.`);
  return json(200, { x: p.x, y: p.y, color: p.color, userId: p.userId, placedAt: p.placedAt }, { 'cache-control': 'no-cache' });
});
