// `npm run export [-- --out DIR]`: the event archive. Every placement as CSV and Parquet (user
// ids as a keyed hash, banned users' rows flagged), the final PNG, a timelapse of the event and
// a per-user recap, with a manifest; in DIR (default DATA_DIR/export/<time>), and, with
// MEDIA_BUCKET set, uploaded to S3 under MEDIA_PREFIX + export/<time>/ (in AWS, the export task:
// `node export.mjs` in the app image, infra/export-job.ts).
import path from 'node:path';
import { processConfig } from '../core/process-config.ts';
import { createModerationLog, createPixelLog, localSessionSecret } from '../core/service/services.ts';
import { readSecretString } from '../core/aws-secrets.ts';
import { EXPORT_PREFIX, exportEvent } from '../core/archive/export.ts';
import { exportKey } from '../core/community/export-id.ts';
import { moderationBans } from '../core/community/bans.ts';
import { createMediaStore } from '../core/community/community-services.ts';
import { S3MediaStore } from '../core/media/s3-media-store.ts';

const config = await processConfig();
const args = process.argv.slice(2);
const at = args.indexOf('--out');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = at >= 0 && args[at + 1] ? path.resolve(args[at + 1]!) : path.join(config.dataDir, 'export', stamp);
const sessionSecret = config.sessionSecretArn ? await readSecretString(config.sessionSecretArn) : localSessionSecret(config);
const log = await createPixelLog(config);
const moderation = await createModerationLog(config);
try {
  // The board's final size: it may have grown during the event (a live resize records it in the log).
  const grown = await log.boardSize();
  const size = { width: Math.max(config.board.width, grown?.width ?? 0), height: Math.max(config.board.height, grown?.height ?? 0) };
  const manifest = await exportEvent({
    log, size, key: exportKey(config.community.exportSecret, sessionSecret), bans: moderationBans(moderation), outDir,
    progress: (line) => console.log(line),
  });
  console.log(`exported ${manifest.placements} placements by ${manifest.users} users (seq ${manifest.lastSeq}) to ${outDir}`);
  const media = createMediaStore(config);
  if (media instanceof S3MediaStore) {
    for (const name of [...Object.keys(manifest.files), 'manifest.json']) {
      await media.putFile(`${EXPORT_PREFIX}${stamp}/${name}`, path.join(outDir, name), { contentType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    }
    console.log(`uploaded to s3://${config.community.mediaBucket}/${config.community.mediaPrefix}${EXPORT_PREFIX}${stamp}/`);
    media.destroy();
  }
} finally {
  await moderation.close();
  await log.close();
}
