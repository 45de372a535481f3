// The stores templates, history and the export work with, chosen by config like the others:
// Redis / Cassandra / S3 when configured, the in-process and DATA_DIR twins otherwise.
import path from 'node:path';
import type { Config } from '../config.ts';
import type { BoardStore } from '../board-store/board-store.ts';
import { RedisBoardStore } from '../board-store/redis-board-store.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import { CassandraPixelLog } from '../pixel-log/cassandra-pixel-log.ts';
import type { CommunityStore } from './community-store.ts';
import { EmbeddedCommunityStore } from './embedded-community-store.ts';
import { RedisCommunityStore } from './redis-community-store.ts';
import { CassandraTemplateRecords, FileTemplateRecords, type TemplateRecords } from './template-records.ts';
import { FileMediaStore, type MediaStore } from '../media/media-store.ts';
import { S3MediaStore } from '../media/s3-media-store.ts';
import { exportKey } from './export-id.ts';

export interface Community {
  /** Template progress, grief events and rate limits (the live store's side). */
  live: CommunityStore;
  records: TemplateRecords;
  media: MediaStore;
  /** Key of the export's user hash. */
  exportKey: Buffer;
  close(): Promise<void>;
}

export function createMediaStore(config: Config): MediaStore {
  const { mediaBucket, mediaPrefix } = config.community;
  return mediaBucket
    ? new S3MediaStore({ bucket: mediaBucket, prefix: mediaPrefix, endpoint: config.snapshots.endpoint })
    : new FileMediaStore(path.join(config.dataDir, 'media'));
}

export function createCommunity(config: Config, store: BoardStore, log: PixelLog, sessionSecret: string): Community {
  const live = store instanceof RedisBoardStore && config.redis ? new RedisCommunityStore(store.connection, config.redis) : new EmbeddedCommunityStore();
  const records = log instanceof CassandraPixelLog ? new CassandraTemplateRecords(log.connection) : new FileTemplateRecords(path.join(config.dataDir, 'templates'));
  const media = createMediaStore(config);
  return {
    live, records, media, exportKey: exportKey(config.community.exportSecret, sessionSecret),
    close: async () => {
      await live.close();
      if (media instanceof S3MediaStore) media.destroy();
    },
  };
}
