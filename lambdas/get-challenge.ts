// GET /api/challenge → an ALTCHA challenge {algorithm, challenge, salt, signature, maxnumber} at
// the current defence level (harder when it is raised); solve it and send the solution with
// POST /api/session or POST /api/pixels as {"challenge": <solution>}.
import { albHandler } from './http/handler.ts';
import { errorResponse, json } from './http/responses.ts';
import { metrics } from '../core/observability/telemetry.ts';
import { services } from './runtime.ts';

export const handler = albHandler('get-challenge', async () => {
  const s = await services();
  if (!s.guard.pow.enabled) return errorResponse(404, 'no_challenges', 'This board does not ask for proof of work (POW_DIFFICULTY=0).');
  metrics.count('challenges', { outcome: 'issued' });
  return json(200, await s.guard.pow.challenge(await s.guard.defence.level()));
});
