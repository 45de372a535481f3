// `npm run board -- size` prints the live board's size and seq; `npm run board -- resize W H`
// grows it during an event without a restart (core/service/resize.ts): pixels, seqs and open
// pages are kept, and every page grows with it.
import { processConfig } from '../core/process-config.ts';
import { createBoardStore, createPixelLog, createSnapshotStore } from '../core/service/services.ts';
import { resizeBoardLive } from '../core/service/resize.ts';
import { PlaceError } from '../core/errors.ts';

const [command, ...rest] = process.argv.slice(2);
const usage = 'usage: npm run board -- size | resize <width> <height>';
const side = (v: string | undefined) => (v !== undefined && /^\d{1,5}$/.test(v) ? Number(v) : NaN);
const [width, height] = [side(rest[0]), side(rest[1])];
if (!(command === 'size' && rest.length === 0) && !(command === 'resize' && rest.length === 2 && width > 0 && height > 0)) {
  console.error(usage);
  process.exit(2);
}
const config = await processConfig();
if (!config.redis) {
  console.error('REDIS_URL is not set: the local runner keeps its board in its own process. Stop it and start it again '
    + 'with BOARD_WIDTH and BOARD_HEIGHT set to the new size: it restores every pixel onto the bigger board.');
  process.exit(2);
}
const store = await createBoardStore(config);
try {
  const head = await store.head();
  if (!head) {
    console.error('there is no live board (it is being restored): try again when `npm run rebuild` is done');
    process.exitCode = 1;
  } else if (command === 'size') {
    console.log(`the board is ${head.width}×${head.height}, seq ${head.seq}`);
  } else {
    const pixelLog = await createPixelLog(config);
    try {
      const grown = await resizeBoardLive({
        // A snapshot at the new size: history knows the board's size at a past moment from its snapshots.
        store, log: pixelLog, snapshots: createSnapshotStore(config), rebuildLockMs: config.rebuildLockMs,
      }, { width, height });
      console.log(`the board grew from ${head.width}×${head.height} to ${grown.width}×${grown.height} at seq ${grown.seq}`);
    } finally {
      await pixelLog.close();
    }
  }
} catch (err) {
  if (!(err instanceof PlaceError)) throw err;
  console.error(`${err.name}: ${err.message}`);
  process.exitCode = 1;
} finally {
  await store.close();
}
