// GET /api/admin/ip-bans → address-range bans.
import { json } from './http/responses.ts';
import { adminHandler } from './admin/admin-http.ts';

export const handler = adminHandler('admin-ip-bans-list', 'moderator', async (_event, { s }) => json(200, { bans: await s.moderation.ipBans() }));
