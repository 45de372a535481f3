// POST /api/admin/fill {"x0","y0","x1","y1","color","reason"} → paints the rectangle (at most 100×100) as the moderator's placements.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, readBody, reasonSchema, rectSchema } from './admin/admin-http.ts';
import { fill, MAX_FILL_SIDE } from '../core/moderation/rollback.ts';
import { COLOR_COUNT } from '../core/domain/palette.ts';

export const handler = adminHandler('admin-fill', 'moderator', async (event, { s, actor }) => {
  const body = readBody(event, z.intersection(rectSchema(await s.boardSize.refresh(), MAX_FILL_SIDE), z.object({
    color: z.number({ error: `color must be an integer from 0 to ${COLOR_COUNT - 1}` }).int().min(0).max(COLOR_COUNT - 1), reason: reasonSchema,
  })));
  const { x0, y0, x1, y1 } = body;
  return json(200, await fill(s, actor, { x0, y0, x1, y1 }, body.color, body.reason));
});
