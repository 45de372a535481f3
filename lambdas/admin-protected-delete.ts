// DELETE /api/admin/protected/{name} {"reason"} → the area is no longer protected.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, areaNameSchema, check, pathRest, readBody, reasonSchema } from './admin/admin-http.ts';
import { unprotectArea } from '../core/moderation/moderation-service.ts';

export const handler = adminHandler('admin-protected-delete', 'moderator', async (event, { s, actor }) => {
  const name = check(areaNameSchema, pathRest(event, '/api/admin/protected/'), 'invalid_path');
  const { reason } = readBody(event, z.object({ reason: reasonSchema }));
  await unprotectArea(s, actor, name, reason);
  return json(200, { deleted: name });
});
