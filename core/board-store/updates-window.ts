// The rule for `updates since seq`, as the embedded store keeps its updates (the Redis store reads
// the same rule off its stream entries): a consecutive run of kept updates, or 'gone' when the
// ones right after `seq` were dropped (the client then refetches the board).
import { encodePixelBatch, type PixelUpdate } from '../protocol/pixel-batch.ts';
import type { UpdatesSince } from './board-store.ts';

/** `kept` is in seq order and ends at the current seq. */
export function collectUpdatesSince(
  since: number, currentSeq: number, kept: readonly PixelUpdate[], limit: number,
): UpdatesSince {
  if (since > currentSeq) return { status: 'gone' };
  if (since === currentSeq) return { status: 'ok', batch: encodePixelBatch([], since + 1), lastSeq: since };
  const first = kept[0];
  if (!first || first.seq > since + 1) return { status: 'gone' };
  const start = since + 1 - first.seq;
  const run = kept.slice(start, start + limit);
  return { status: 'ok', batch: encodePixelBatch(run, since + 1), lastSeq: since + run.length };
}
