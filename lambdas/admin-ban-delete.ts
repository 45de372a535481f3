// DELETE /api/admin/bans/{userId} {"reason"} → lifts the ban.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, check, pathRest, readBody, reasonSchema, userIdSchema } from './admin/admin-http.ts';
import { unbanUser } from '../core/moderation/moderation-service.ts';

export const handler = adminHandler('admin-ban-delete', 'moderator', async (event, { s, actor }) => {
  const userId = check(userIdSchema, pathRest(event, '/api/admin/bans/'), 'invalid_path');
  const { reason } = readBody(event, z.object({ reason: reasonSchema }));
  await unbanUser(s, actor, userId, reason);
  return json(200, { deleted: userId });
});
