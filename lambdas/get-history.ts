// GET /api/history → the board snapshots, oldest first: [{"seq","at","url"}], where url is
// the snapshot's PNG (board.png?seq=, immutable). Paged with ?after=<seq>&limit=.
import { listSnapshots } from '../core/history/history-plan.ts';
import { albHandler } from './http/handler.ts';
import { json } from './http/responses.ts';
import { intQuery } from './history/history-context.ts';
import { BadRequestError } from '../core/errors.ts';
import { services } from './runtime.ts';

export const handler = albHandler('get-history', async (event) => {
  const after = intQuery(event, 'after') ?? -1;
  const limit = intQuery(event, 'limit', 1000) ?? 1000;
  if (limit < 1) throw new BadRequestError('invalid_limit', '"limit" must be an integer from 1 to 1000.');
  const s = await services();
  const list = (await listSnapshots(s.snapshots)).filter((m) => m.seq > after).slice(0, limit);
  // A new snapshot appears every SNAPSHOT_INTERVAL_MS: a CDN may share the list for a minute.
  return json(200, list.map((m) => ({ seq: m.seq, at: m.at, url: `/api/board.png?seq=${m.seq}` })), { 'cache-control': 'public, max-age=60' });
});
