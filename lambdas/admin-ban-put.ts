// PUT /api/admin/bans/{userId} {"until"?,"reason","shadow"?} → the user's writes get 403 `banned` (or, shadow, a 201 that changes nothing).
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, check, optionalTime, pathRest, readBody, reasonSchema, userIdSchema } from './admin/admin-http.ts';
import { banUser } from '../core/moderation/moderation-service.ts';

export const handler = adminHandler('admin-ban-put', 'moderator', async (event, { s, actor }) => {
  const userId = check(userIdSchema, pathRest(event, '/api/admin/bans/'), 'invalid_path');
  const body = readBody(event, z.object({ until: optionalTime('until'), reason: reasonSchema, shadow: z.boolean({ error: 'shadow must be true or false' }).optional() }));
  return json(200, { ban: await banUser(s, actor, { userId, until: body.until, shadow: body.shadow === true, reason: body.reason }) });
});
