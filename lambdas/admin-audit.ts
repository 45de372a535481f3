// GET /api/admin/audit?limit&before → the audit log, newest first (append-only: nothing edits or deletes it).
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, check, limitSchema, queryOf, timeSchema } from './admin/admin-http.ts';

export const handler = adminHandler('admin-audit', 'moderator', async (event, { s }) => {
  const q = check(z.object({ limit: limitSchema(1000, 100), before: timeSchema('before').optional() }), queryOf(event, ['limit', 'before']), 'invalid_query');
  return json(200, { entries: await s.moderation.audit(q.limit, q.before ?? Date.now() + 1) });
});
