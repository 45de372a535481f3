// GET /api/admin/bans → users' bans (ended ones too, until lifted).
import { json } from './http/responses.ts';
import { adminHandler } from './admin/admin-http.ts';

export const handler = adminHandler('admin-bans-list', 'moderator', async (_event, { s }) => json(200, { bans: await s.moderation.bans() }));
