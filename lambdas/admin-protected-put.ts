// PUT /api/admin/protected/{name} {"x0","y0","x1","y1","reason"} → ordinary users' writes inside get 403 `protected`.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, areaNameSchema, check, pathRest, readBody, reasonSchema, rectSchema } from './admin/admin-http.ts';
import { protectArea } from '../core/moderation/moderation-service.ts';

export const handler = adminHandler('admin-protected-put', 'moderator', async (event, { s, actor }) => {
  const name = check(areaNameSchema, pathRest(event, '/api/admin/protected/'), 'invalid_path');
  const body = readBody(event, z.intersection(rectSchema(await s.boardSize.refresh()), z.object({ reason: reasonSchema })));
  const { x0, y0, x1, y1, reason } = body;
  return json(200, { area: await protectArea(s, actor, { name, x0, y0, x1, y1, reason }) });
});
