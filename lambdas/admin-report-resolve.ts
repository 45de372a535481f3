// POST /api/admin/reports/{id}/resolve {"reason"} → the report leaves the open queue.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, pathRest, readBody, reasonSchema } from './admin/admin-http.ts';
import { resolveReport } from '../core/moderation/moderation-service.ts';

export const handler = adminHandler('admin-report-resolve', 'moderator', async (event, { s, actor }) => {
  const id = pathRest(event, '/api/admin/reports/', '/resolve');
  const { reason } = readBody(event, z.object({ reason: reasonSchema }));
  return json(200, { report: await resolveReport(s, actor, id, reason) });
});
