// `npm run rebuild`: restore the live board from persistence, with progress output.
import { processConfig } from '../core/process-config.ts';
import { createBoardStore, createPixelLog, createSnapshotStore } from '../core/service/services.ts';
import { rebuildBoard } from '../core/service/rebuild.ts';

const config = await processConfig();
const store = await createBoardStore(config);
const log = await createPixelLog(config);
try {
  const result = await rebuildBoard({
    store, log, size: config.board, rules: config.cooldown, rebuildLockMs: config.rebuildLockMs, snapshots: createSnapshotStore(config), progress: (line) => console.log(line),
  });
  if (!result) {
    console.error('another process holds the rebuild lock; try again when it is done');
    process.exitCode = 1;
  }
} finally {
  await store.close();
  await log.close();
}
