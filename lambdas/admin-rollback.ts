// POST /api/admin/rollback {"x0","y0","x1","y1","from","to","userId"?,"dryRun","reason"} → {"pixels","rollbackId","firstSeq","lastSeq"} (or a preview).
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, readBody, reasonSchema, rectSchema, timeSchema, userIdSchema } from './admin/admin-http.ts';
import { rollback } from '../core/moderation/rollback.ts';
import { BadRequestError } from '../core/errors.ts';

export const handler = adminHandler('admin-rollback', 'moderator', async (event, { s, actor }) => {
  const body = readBody(event, z.intersection(rectSchema(await s.boardSize.refresh(), 1024), z.object({
    from: timeSchema('from'), to: timeSchema('to'), userId: userIdSchema.nullish(), dryRun: z.boolean({ error: 'dryRun must be true or false' }).optional(), reason: reasonSchema,
  })));
  if (body.from > body.to) throw new BadRequestError('invalid_body', 'from must not be after to.');
  const { x0, y0, x1, y1 } = body;
  const result = await rollback(s, actor, { area: { x0, y0, x1, y1 }, from: body.from, to: body.to, userId: body.userId ?? null, reason: body.reason }, body.dryRun === true);
  return json(200, result);
});
