// PUT /api/admin/ip-bans/{cidr} {"until"?,"reason"} → writes from addresses in the range (IPv4 or IPv6; a single address is a /32 or /128) get 403 `banned`.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, optionalTime, pathRest, readBody, reasonSchema } from './admin/admin-http.ts';
import { banRange } from '../core/moderation/moderation-service.ts';
import { parseCidr } from '../core/domain/ip-range.ts';
import { BadRequestError } from '../core/errors.ts';

export const handler = adminHandler('admin-ip-ban-put', 'moderator', async (event, { s, actor }) => {
  const range = parseCidr(pathRest(event, '/api/admin/ip-bans/'));
  if (!range) throw new BadRequestError('invalid_cidr', 'Name an IPv4 or IPv6 address or CIDR range, e.g. 203.0.113.0/24 or 2001:db8::/32.');
  const body = readBody(event, z.object({ until: optionalTime('until'), reason: reasonSchema }));
  return json(200, { ban: await banRange(s, actor, { cidr: range.cidr, until: body.until, reason: body.reason }) });
});
