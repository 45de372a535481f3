// GET /api/admin/reports?status=open|resolved&limit → users' reports, newest first.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, check, limitSchema, queryOf } from './admin/admin-http.ts';

export const handler = adminHandler('admin-reports', 'moderator', async (event, { s }) => {
  const q = check(z.object({ status: z.enum(['open', 'resolved'], { error: 'status must be "open" or "resolved"' }).optional(), limit: limitSchema(1000, 100) }),
    queryOf(event, ['status', 'limit']), 'invalid_query');
  return json(200, { reports: await s.moderation.reports(q.status ?? 'open', q.limit) });
});
