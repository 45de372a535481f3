// PUT /api/admin/board {"state","message"?,"cooldownMs"?,"opensAt"?,"reason"} → the board's state and cooldown, at once for every writer and socket client.
import { z } from 'zod';
import { json } from './http/responses.ts';
import { adminHandler, optionalTime, readBody, reasonSchema } from './admin/admin-http.ts';
import { setBoardStatus } from '../core/moderation/moderation-service.ts';
import { BOARD_STATES } from '../core/domain/moderation.ts';

export const handler = adminHandler('admin-board', 'admin', async (event, { s, actor }) => {
  const body = readBody(event, z.object({
    state: z.enum(BOARD_STATES, { error: 'state must be "live", "paused" or "ended"' }),
    message: z.string().trim().max(280, { error: 'the message must be at most 280 characters' }).nullish().transform((m) => m || null),
    cooldownMs: z.number({ error: 'cooldownMs must be an integer from 0 to 86400000' }).int().min(0).max(86_400_000).optional(),
    opensAt: optionalTime('opensAt'),
    reason: reasonSchema,
  }));
  const status = await setBoardStatus(s, actor, { state: body.state, message: body.message, cooldownMs: body.cooldownMs, opensAt: body.opensAt }, body.reason);
  return json(200, { status });
});
