// POST /api/reports {"x","y","reason"} → 201 {"id"}: a user reports a pixel to the moderators (capped per user an hour).
import { z } from 'zod';
import { json, errorResponse } from './http/responses.ts';
import { readBody } from './admin/admin-http.ts';
import { albHandler } from './http/handler.ts';
import { liveSession } from './http/session.ts';
import { services } from './runtime.ts';
import { createReport } from '../core/moderation/moderation-service.ts';
import { parseCoordinates } from '../core/domain/pixel-write.ts';
import { BadRequestError } from '../core/errors.ts';

export const handler = albHandler('create-report', async (event) => {
  const s = await services();
  const session = await liveSession(event, s);
  if (!session) return errorResponse(401, 'unauthorized', 'Start a session (POST /api/session) before reporting.');
  const body = readBody(event, z.object({
    x: z.number({ error: 'x must be an integer' }).int(), y: z.number({ error: 'y must be an integer' }).int(),
    reason: z.string({ error: 'a "reason" (1 to 500 characters) is required' }).trim().min(1, { error: 'a "reason" (1 to 500 characters) is required' }).max(500, { error: 'the "reason" must be at most 500 characters' }),
  }));
  const size = await s.boardSize.refresh();
  const at = parseCoordinates(String(body.x), String(body.y), size);
  if (!at) throw new BadRequestError('invalid_pixel', `x and y must be on the board (0 ≤ x < ${size.width}, 0 ≤ y < ${size.height}).`);
  const report = await createReport(s, session.userId, at.x, at.y, body.reason);
  return json(201, { id: report.id });
});
