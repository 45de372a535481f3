// The stores a process works with, chosen by config: Redis + Cassandra when configured,
// otherwise the embedded twins with data under DATA_DIR. Created once per process (per Lambda
// container), never per request.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { BoardStore } from '../board-store/board-store.ts';
import { EmbeddedBoardStore } from '../board-store/embedded-board-store.ts';
import { RedisBoardStore } from '../board-store/redis-board-store.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import { FilePixelLog } from '../pixel-log/file-pixel-log.ts';
import { CassandraPixelLog } from '../pixel-log/cassandra-pixel-log.ts';
import { ensureBoard } from './self-heal.ts';
import type { PlaceContext } from './place-pixel.ts';
import { PersistenceGate } from './persistence-gate.ts';
import { KnownSize } from './known-size.ts';
import { PendingDrainer } from './persist-pending.ts';
import type { SnapshotStore } from '../snapshots/snapshot-store.ts';
import { restoreJobs } from './restore-jobs.ts';
import { FileSnapshotStore } from '../snapshots/file-snapshot-store.ts';
import { S3SnapshotStore } from '../snapshots/s3-snapshot-store.ts';
import { log as telemetryLog, reportFailure } from '../observability/telemetry.ts';
import { createGuard, type Guard } from '../guard/guard.ts';
import type { ModerationLog } from '../moderation/moderation-log.ts';
import { liveModerationState } from '../moderation/moderation-log.ts';
import { FileModerationLog } from '../moderation/file-moderation-log.ts';
import { CassandraModerationLog } from '../moderation/cassandra-moderation-log.ts';
import type { ModerationContext } from '../moderation/moderation-service.ts';
import { createCommunity, type Community } from '../community/community-services.ts';
import type { BoardObjects } from '../publish/published-board.ts';
import { FileBoardObjects } from '../publish/file-board-objects.ts';
import { S3BoardObjects } from '../publish/s3-board-objects.ts';

export interface Services extends PlaceContext, ModerationContext {
  /** The whole store: each part of the service takes the interfaces it needs from it. */
  store: BoardStore;
  config: Config;
  moderation: ModerationLog;
  sessionSecret: string;
  /** Templates, history and the export (core/community). */
  community: Community;
  /** The board's size as last seen here (it may grow during an event). */
  boardSize: KnownSize;
  /** Sign-in, proof of work, CAPTCHA and the defence level (core/guard). */
  guard: Guard;
  close(): Promise<void>;
}

export async function createBoardStore(config: Config): Promise<BoardStore> {
  const common = {
    size: config.board, rules: config.cooldown, sessionsPerIpPerHour: config.sessionsPerIpPerHour,
    updatesKept: config.updatesKept, idempotencyTtlMs: config.idempotencyTtlMs, sessionMaxAgeMs: config.sessionMaxAgeMs,
    feedMode: config.socket.feedMode, readsPerIpPerMinute: config.readsPerIpPerMinute,
  };
  return config.redis
    ? RedisBoardStore.connect({ ...common, redis: config.redis })
    : new EmbeddedBoardStore(common);
}

/** Snapshots in S3 when SNAPSHOT_BUCKET is set, otherwise in DATA_DIR/snapshots. */
export function createSnapshotStore(config: Config): SnapshotStore {
  const { bucket, prefix, endpoint } = config.snapshots;
  return bucket ? new S3SnapshotStore({ bucket, prefix, endpoint }) : new FileSnapshotStore(path.join(config.dataDir, 'snapshots'));
}

/** Where published boards go: S3 (BOARD_PUBLISH_BUCKET) in AWS, else DATA_DIR/published (served by the runner at /boards/). */
export function createBoardObjects(config: Config): BoardObjects {
  return config.publish.bucket
    ? new S3BoardObjects({ bucket: config.publish.bucket, endpoint: config.snapshots.endpoint })
    : new FileBoardObjects(path.join(config.dataDir, 'published'));
}

export async function createPixelLog(config: Config): Promise<PixelLog> {
  return config.cassandra ? CassandraPixelLog.connect(config.cassandra) : FilePixelLog.open(config.dataDir);
}

export async function createModerationLog(config: Config): Promise<ModerationLog> {
  return config.cassandra ? CassandraModerationLog.connect(config.cassandra) : FileModerationLog.open(config.dataDir);
}

/** The secret from config, or, for a local run, one kept in DATA_DIR so sessions survive restarts. */
export function localSessionSecret(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export interface ServiceOptions {
  secret?: (config: Config) => Promise<string> | string;
  /** Rebuild the board at start if the live store has none (the local runner). Lambdas rebuild lazily, in the functions allowed to. */
  ensureBoardAtStart?: boolean;
}

export async function createServices(config: Config, options: ServiceOptions = {}): Promise<Services> {
  const { secret = localSessionSecret, ensureBoardAtStart = true } = options;
  const sessionSecret = await secret(config);
  const store = await createBoardStore(config);
  let log: PixelLog;
  let guard: Guard;
  let moderation: ModerationLog;
  try {
    log = await createPixelLog(config);
    moderation = await createModerationLog(config).catch(async (err: unknown) => { await log.close(); throw err; });
  } catch (err) {
    await store.close();
    throw err;
  }
  try {
    guard = await createGuard(config, sessionSecret);
  } catch (err) {
    await Promise.allSettled([store.close(), log.close()]);
    throw err;
  }
  // Locally the admin command appends to the same file from another process: the in-process
  // store takes in what it changed (roles) within a moment.
  const unwatch = moderation instanceof FileModerationLog
    ? moderation.watch(() => {
      liveModerationState(moderation, config.cooldown.cooldownMs).then((state) => store.restoreModeration(state))
        .catch((err: unknown) => reportFailure('moderation-sync', err));
    })
    : () => {};
  const community = createCommunity(config, store, log, sessionSecret);
  const services: Services = {
    config, store, log, sessionSecret, guard, community, size: config.board, rules: config.cooldown, boardSize: new KnownSize(config.board, store),
    gate: new PersistenceGate(log, { probeIntervalMs: config.persistenceProbeMs, probeTimeoutMs: 2000 }),
    drainer: new PendingDrainer(store, log, { ...config.drain, pauseMs: 5 }, (err) => reportFailure('pending-drain', err)),
    orphanAfterMs: config.orphanAfterMs,
    rebuildLockMs: config.rebuildLockMs,
    snapshots: createSnapshotStore(config),
    jobs: restoreJobs(config.rebuildJob),
    moderation,
    moderationBatch: { size: config.moderation.batch, pauseMs: config.moderation.pauseMs },
    reportsPerHour: config.moderation.reportsPerHour,
    close: async () => {
      unwatch();
      await guard.defence.flush();
      await community.close();
      await Promise.allSettled([store.close(), log.close(), moderation.close(), guard.store.close()]);
    },
  };
  if (ensureBoardAtStart) await ensureBoard({ ...services, progress: (line) => telemetryLog.info(line, { rebuild: true }) }, 'start', 60_000);
  return services;
}
