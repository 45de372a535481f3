// GET /api/admin/me → the caller's role (403 for those without one): what the admin page asks first.
import { json } from './http/responses.ts';
import { adminHandler } from './admin/admin-http.ts';

export const handler = adminHandler('admin-me', 'moderator', async (_event, { session, role }) => json(200, { userId: session.userId, role }));
