// GET /api/admin/protected → the protected areas.
import { json } from './http/responses.ts';
import { adminHandler } from './admin/admin-http.ts';

export const handler = adminHandler('admin-protected-list', 'moderator', async (_event, { s }) => json(200, { areas: await s.moderation.areas() }));
