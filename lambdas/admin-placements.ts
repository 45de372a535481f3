// GET /api/admin/placements?x0&y0&x1&y1&from&to[&userId][&limit] → placements in the rectangle and window, newest first.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, check, limitSchema, queryOf, rectSchema, timeSchema, userIdSchema } from './admin/admin-http.ts';
import { AREA_HOUR_MS, AREA_TILE } from '../core/pixel-log/cassandra-schema.ts';
import { BadRequestError } from '../core/errors.ts';

/** Tiles × hours one query may touch (each a few partition reads): past this, narrow the area or window. */
export const MAX_QUERY_CELLS = 20_000;

export const handler = adminHandler('admin-placements', 'moderator', async (event, { s }) => {
  const schema = z.intersection(rectSchema(await s.boardSize.refresh()), z.object({
    from: timeSchema('from'), to: timeSchema('to'), userId: userIdSchema.optional(), limit: limitSchema(10_000, 1000),
  }));
  const q = check(schema, queryOf(event, ['x0', 'y0', 'x1', 'y1', 'from', 'to', 'userId', 'limit']), 'invalid_query');
  if (q.from > q.to) throw new BadRequestError('invalid_query', 'from must not be after to.');
  const tiles = (Math.floor(q.x1 / AREA_TILE) - Math.floor(q.x0 / AREA_TILE) + 1) * (Math.floor(q.y1 / AREA_TILE) - Math.floor(q.y0 / AREA_TILE) + 1);
  const hours = Math.floor(q.to / AREA_HOUR_MS) - Math.floor(q.from / AREA_HOUR_MS) + 1;
  if (tiles * hours > MAX_QUERY_CELLS) throw new BadRequestError('query_too_large', 'The area and time window are too large to search at once: narrow one of them.');
  const found = await s.log.placementsInArea({ ...q, userId: q.userId ?? null });
  return json(200, {
    placements: found.placements.map((p) => ({ x: p.x, y: p.y, color: p.color, userId: p.userId, placedAt: p.placedAt, seq: p.seq })),
    truncated: found.truncated,
  });
});
