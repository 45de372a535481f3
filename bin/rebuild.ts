// `npm run rebuild`: restore the live board from persistence, with progress output.
// `-- --if-missing` restores only when the live board is missing, and counts another process's
// restore as done: what the restore job started by requests runs (infra/board-jobs.ts), since
// requests may start a second job while the first is still starting.
import { processConfig } from '../core/process-config.ts';
import type { BoardStore } from '../core/board-store/board-store.ts';
import { createBoardStore, createModerationLog, createPixelLog, createSnapshotStore } from '../core/service/services.ts';
import { rebuildBoard } from '../core/service/rebuild.ts';
import { describeError, log } from '../core/observability/telemetry.ts';

const ifMissing = process.argv.slice(2).includes('--if-missing');
const config = await processConfig();
let store: BoardStore | null = null;
try {
  store = await createBoardStore(config);
  const head = ifMissing ? await store.head() : null;
  if (head) {
    console.log(`the live board is there (seq ${head.seq}): nothing to restore`);
  } else {
    const pixelLog = await createPixelLog(config);
    // The board's state, protected areas, bans and roles come back with it (the write script checks them).
    const moderation = await createModerationLog(config).catch(async (err: unknown) => { await pixelLog.close(); throw err; });
    try {
      const result = await rebuildBoard({
        store, log: pixelLog, moderation, size: config.board, rules: config.cooldown, rebuildLockMs: config.rebuildLockMs, snapshots: createSnapshotStore(config),
        progress: (line) => console.log(line),
      });
      if (!result && ifMissing) console.log('another process is restoring the board');
      else if (!result) {
        console.error('another process holds the rebuild lock; try again when it is done');
        process.exitCode = 1;
      }
    } finally {
      await Promise.allSettled([pixelLog.close(), moderation.close()]);
    }
  }
} catch (err) {
  // One JSON line at level error: what the restore job's alarm watches for (infra/board-jobs.ts).
  log.error('restore failed', { error: describeError(err) });
  process.exitCode = 1;
} finally {
  await store?.close();
}
