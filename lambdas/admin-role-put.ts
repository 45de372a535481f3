// PUT /api/admin/roles/{userId} {"role","reason"} → grants a role (admins only; the first admin comes from `npm run admin -- grant`).
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, check, pathRest, readBody, reasonSchema, userIdSchema } from './admin/admin-http.ts';
import { setRole } from '../core/moderation/moderation-service.ts';
import { ROLES } from '../core/domain/moderation.ts';

export const handler = adminHandler('admin-role-put', 'admin', async (event, { s, actor }) => {
  const userId = check(userIdSchema, pathRest(event, '/api/admin/roles/'), 'invalid_path');
  const body = readBody(event, z.object({ role: z.enum(ROLES, { error: 'role must be "admin" or "moderator"' }), reason: reasonSchema }));
  await setRole(s, actor, userId, body.role, body.reason);
  return json(200, { userId, role: body.role });
});
