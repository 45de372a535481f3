// POST /api/admin/rollback/{rollbackId}/undo {"reason"} → puts back what that rollback (or fill) replaced, where nobody placed since.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, pathRest, readBody, reasonSchema } from './admin/admin-http.ts';
import { undo } from '../core/moderation/rollback.ts';

export const handler = adminHandler('admin-rollback-undo', 'moderator', async (event, { s, actor }) => {
  const id = pathRest(event, '/api/admin/rollback/', '/undo');
  const { reason } = readBody(event, z.object({ reason: reasonSchema }));
  return json(200, await undo(s, actor, id, reason));
});
