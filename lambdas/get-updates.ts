// GET /api/pixels?since=<seq>[&epoch=<epoch>] → the updates after seq as one pixel batch, or
// 410 when they are older than the kept window or belong to an earlier epoch of the board
// (the client then refetches the board). Uncached, so capped per address (READS_PER_IP_PER_MINUTE).
import { albHandler } from './http/handler.ts';
import { query, requestIp } from './http/request.ts';
import { binary, errorResponse, tooManyReads } from './http/responses.ts';
import { services } from './runtime.ts';

export const handler = albHandler('get-updates', async (event) => {
  const raw = query(event, 'since');
  if (raw === undefined || !/^\d{1,10}$/.test(raw)) {
    return errorResponse(400, 'invalid_since', 'Give ?since=<seq> as a non-negative integer.');
  }
  const epochRaw = query(event, 'epoch');
  if (epochRaw !== undefined && !/^\d{1,16}$/.test(epochRaw)) {
    return errorResponse(400, 'invalid_epoch', 'Give ?epoch=<epoch> as the X-Board-Epoch of your board.');
  }
  const s = await services();
  const slot = await s.store.takeReadSlot(requestIp(event, s.config.clientAddress), Date.now());
  if (!slot.allowed) return tooManyReads(slot.retryAfterMs);
  const gone = () => errorResponse(410, 'gone', 'Those updates are no longer kept. Fetch the whole board (GET /api/board).');
  if (epochRaw !== undefined) {
    const head = await s.store.head();
    if (head && head.epoch !== Number(epochRaw)) return gone();
  }
  // At most UPDATES_PER_RESPONSE; a client further behind asks again from the last seq.
  const updates = await s.store.updatesSince(Number(raw), s.config.updatesPerResponse);
  if (updates.status === 'gone') return gone();
  return binary(200, updates.batch, {
    'content-type': 'application/octet-stream',
    'cache-control': 'no-store',
    'x-board-seq': String(updates.lastSeq),
  });
});
