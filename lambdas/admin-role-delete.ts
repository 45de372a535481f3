// DELETE /api/admin/roles/{userId} {"reason"} → revokes the user's role, effective at their next call.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, check, pathRest, readBody, reasonSchema, userIdSchema } from './admin/admin-http.ts';
import { setRole } from '../core/moderation/moderation-service.ts';
import { RefusedError } from '../core/errors.ts';

export const handler = adminHandler('admin-role-delete', 'admin', async (event, { s, actor }) => {
  const userId = check(userIdSchema, pathRest(event, '/api/admin/roles/'), 'invalid_path');
  const { reason } = readBody(event, z.object({ reason: reasonSchema }));
  if (!(await s.moderation.role(userId))) throw new RefusedError(404, 'not_found', `${userId} holds no role.`);
  await setRole(s, actor, userId, null, reason);
  return json(200, { deleted: userId });
});
