// Reading the Redis `updates` stream back as runs of updates. Each entry holds the records of one
// write call's placements, named by the last seq (place-script.ts), so the entries from
// "seq + 1" on are those holding any later seq; the first may start before it. The answer is
// built from the records as Redis sent them, and follows the rule of updates-window.ts.
import type { Redis } from 'ioredis';
import { encodeBatchFromRecords, PIXEL_RECORD_BYTES } from '../protocol/pixel-batch.ts';
import type { UpdatesSince } from './board-store.ts';
import type { RedisKeys } from './redis-keys.ts';

/**
 * Stream entries updatesSince reads in its first round trip (each holds a write call's
 * placements: 1 to REDIS_WRITE_BATCH_MAX pixels), and at most in any later one.
 */
const STREAM_FIRST_PAGE = 1024;
const STREAM_MAX_PAGE = 4096;
type StreamEntry = [Buffer, Buffer[]];

/** The updates after `seq`, at most `limit`, as one consecutive batch; 'gone' when they are no longer kept. */
export async function readUpdatesSince(client: Redis, k: RedisKeys, seq: number, limit: number): Promise<UpdatesSince> {
  let page = Math.min(limit, STREAM_FIRST_PAGE);
  const replies = await client.multi()
    .get(k.seq).get(k.epoch).xrangeBuffer(k.updates, `${seq + 1}-0`, '+', 'COUNT', page).exec();
  const stored = replies?.[0]?.[1] as string | null;
  if (stored === null || stored === undefined) return { status: 'gone' };
  const current = Number(stored);
  if (seq > current) return { status: 'gone' };
  const epoch = replies?.[1]?.[1] as string | null;
  const chunks: Uint8Array[] = [];
  let next = seq + 1; // the seq the run needs next
  let [entriesSeen, recordsSeen] = [0, 0];
  let entries = (replies?.[2]?.[1] ?? []) as StreamEntry[];
  read: while (entries.length > 0) {
    for (const [id, fields] of entries) {
      const records = fields[1]!;
      const last = Number.parseInt(id.toString(), 10);
      const from = last - records.length / PIXEL_RECORD_BYTES + 1;
      // Older than what is kept, or a gap: the run ends here (a client then refetches the board).
      if (from > next || last < next) break read;
      const take = Math.min(last - next + 1, limit - (next - seq - 1));
      chunks.push(records.subarray((next - from) * PIXEL_RECORD_BYTES, (next - from + take) * PIXEL_RECORD_BYTES));
      next += take;
      if (next - seq - 1 === limit) break read;
      [entriesSeen, recordsSeen] = [entriesSeen + 1, recordsSeen + records.length / PIXEL_RECORD_BYTES];
    }
    if (entries.length < page || next > current) break;
    // Each entry holds at least one seq: ask for about as many entries as the rest needs.
    const rest = limit - (next - seq - 1);
    page = Math.max(1, Math.min(Math.ceil(rest / (recordsSeen / entriesSeen)), rest, STREAM_MAX_PAGE));
    const after = entries.at(-1)![0].toString();
    const more = await client.multi()
      .get(k.epoch).xrangeBuffer(k.updates, `(${after}`, '+', 'COUNT', page).exec();
    // A restore between two pages: what was read so far is still one run of the old epoch.
    if ((more?.[0]?.[1] as string | null) !== epoch) break;
    entries = (more?.[1]?.[1] ?? []) as StreamEntry[];
  }
  if (next === seq + 1 && seq < current) return { status: 'gone' };
  return { status: 'ok', batch: encodeBatchFromRecords(seq + 1, chunks), lastSeq: next - 1 };
}
