// GET /api/admin/roles → who holds which role (admins only).
import { json } from './http/responses.ts';
import { adminHandler } from './admin/admin-http.ts';

export const handler = adminHandler('admin-roles-list', 'admin', async (_event, { s }) => json(200, { roles: await s.moderation.roles() }));
