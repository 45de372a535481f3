// GET /api/pixels?since=<seq> → the updates after seq as one pixel batch, or 410 when they
// are older than the kept window (the client then refetches the board).
import { albHandler } from './http/handler.ts';
import { query } from './http/request.ts';
import { binary, errorResponse } from './http/responses.ts';
import { services } from './runtime.ts';

/** At most this many updates a response; a client further behind asks again from the last seq. */
export const MAX_UPDATES_PER_RESPONSE = 20_000;

export const handler = albHandler('get-updates', async (event) => {
  const raw = query(event, 'since');
  if (raw === undefined || !/^\d{1,10}$/.test(raw)) {
    return errorResponse(400, 'invalid_since', 'Give ?since=<seq> as a non-negative integer.');
  }
  const s = await services();
  const updates = await s.store.updatesSince(Number(raw), MAX_UPDATES_PER_RESPONSE);
  if (updates.status === 'gone') {
    return errorResponse(410, 'gone', 'Those updates are no longer kept. Fetch the whole board (GET /api/board).');
  }
  return binary(200, updates.batch, {
    'content-type': 'application/octet-stream',
    'cache-control': 'no-store',
    'x-board-seq': String(updates.lastSeq),
  });
});
