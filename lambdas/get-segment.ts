// GET /api/updates/{epoch}/{segment} → the updates with seqs segment·S+1 … (segment+1)·S
// (S = UPDATES_SEGMENT) as one pixel batch, as far as they exist. A full segment never changes,
// so it is cached for good (a CDN answers every later request for it); the open one, at the
// end, is cached about a second. A board epoch other than the current one is 410: the client
// reloads the board. Requests that reach here uncached are capped per address.
import { encodePixelBatch, type PixelUpdate } from '../core/protocol/pixel-batch.ts';
import { StoreUnavailableError } from '../core/errors.ts';
import { albHandler } from './http/handler.ts';
import { requestIp } from './http/request.ts';
import { binary, errorResponse, tooManyReads } from './http/responses.ts';
import { currentHead } from './board-cache.ts';
import { services } from './runtime.ts';

const SHAPE = /^\/api\/updates\/([^/]+)\/([^/]+)$/;
const NUMBERS = /^\d{1,16}$/;

export const handler = albHandler('get-segment', async (event) => {
  const match = event.path.match(SHAPE);
  if (!match) return errorResponse(404, 'not_found', 'Update segments are at /api/updates/{epoch}/{segment}.');
  if (!NUMBERS.test(match[1]!) || !NUMBERS.test(match[2]!) || Number(match[2]) > 2 ** 32) {
    return errorResponse(400, 'invalid_segment', 'The epoch and the segment are non-negative integers.');
  }
  const [epoch, segment] = [Number(match[1]), Number(match[2])];
  const s = await services();
  const slot = await s.store.takeReadSlot(requestIp(event, s.config.clientAddress), Date.now());
  if (!slot.allowed) return tooManyReads(slot.retryAfterMs);
  const head = await currentHead(s);
  if (head.epoch !== epoch) {
    return errorResponse(410, 'gone', 'The board was restored since: fetch the whole board (GET /api/board).', { 'cache-control': 'public, max-age=1' });
  }
  const size = s.config.updatesSegment;
  const first = segment * size + 1;
  const end = (segment + 1) * size;
  const last = Math.min(end, head.seq);
  let batch: Uint8Array;
  if (first > last) {
    batch = encodePixelBatch([], first);
  } else {
    const kept = await s.store.updatesSince(first - 1, last - first + 1);
    if (kept.status === 'ok' && kept.lastSeq === last) batch = kept.batch;
    else batch = await fromJournal(first, last);
  }
  const complete = last === end;
  return binary(200, batch, {
    'content-type': 'application/octet-stream',
    'cache-control': complete ? 'public, max-age=31536000, immutable' : 'public, max-age=1',
    'x-board-seq': String(Math.max(last, first - 1)),
    'x-board-epoch': String(head.epoch),
  });

  /** Older than the live store keeps: from the journal, which must hold every one of them. */
  async function fromJournal(from: number, to: number): Promise<Uint8Array> {
    const updates: PixelUpdate[] = [];
    await s.log.replay(from - 1, to, (p) => updates.push({ seq: p.seq, x: p.x, y: p.y, color: p.color }));
    // A seq still pending persistence would leave a hole: answer 503 rather than a wrong segment.
    if (updates.length !== to - from + 1) throw new StoreUnavailableError(`segment ${segment} is not all persisted yet`, { store: 'cassandra' });
    return encodePixelBatch(updates, from);
  }
});
