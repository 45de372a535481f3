// DELETE /api/admin/ip-bans/{cidr} {"reason"} → lifts the range's ban.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, pathRest, readBody, reasonSchema } from './admin/admin-http.ts';
import { unbanRange } from '../core/moderation/moderation-service.ts';
import { parseCidr } from '../core/domain/ip-range.ts';
import { BadRequestError } from '../core/errors.ts';

export const handler = adminHandler('admin-ip-ban-delete', 'moderator', async (event, { s, actor }) => {
  const range = parseCidr(pathRest(event, '/api/admin/ip-bans/'));
  if (!range) throw new BadRequestError('invalid_cidr', 'Name an IPv4 or IPv6 address or CIDR range, e.g. 203.0.113.0/24 or 2001:db8::/32.');
  const { reason } = readBody(event, z.object({ reason: reasonSchema }));
  await unbanRange(s, actor, range.cidr, reason);
  return json(200, { deleted: range.cidr });
});
