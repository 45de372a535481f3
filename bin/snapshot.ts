// `npm run snapshot`: take a board snapshot now (restores start from the newest old-enough one).
import { processConfig } from '../core/process-config.ts';
import { createBoardStore, createPixelLog, createSnapshotStore } from '../core/service/services.ts';
import { takeSnapshot } from '../core/service/snapshots.ts';

const config = await processConfig();
const store = await createBoardStore(config);
const log = await createPixelLog(config);
try {
  const meta = await takeSnapshot({ store, log, snapshots: createSnapshotStore(config) });
  if (meta) console.log(`snapshot taken: seq ${meta.seq} → ${meta.key}`);
  else {
    console.error('there is no board to snapshot (run npm run rebuild first)');
    process.exitCode = 1;
  }
} finally {
  await store.close();
  await log.close();
}
