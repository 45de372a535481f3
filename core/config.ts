// All settings, read from the environment and validated once at start (zod schema). A bad
// setting fails here with a message naming the variable, never later in a request. Every
// variable and its default is in the README's settings table (a test checks it).
import { z } from 'zod';
import type { BoardSize } from './domain/board-codec.ts';
import type { CooldownRules } from './domain/cooldown.ts';
import { DEFAULT_READS_PER_IP_PER_MINUTE } from './board-store/board-store.ts';
import { CLIENT_ADDRESS_SOURCES, type ClientAddressRule } from './domain/client-ip.ts';
import { guardConfig, GUARD_SCHEMA, type GuardConfig } from './guard-config.ts';
import { blankIsUnset, ConfigError, httpOrigins, int, oneOf, optionalText, redisUrl, text } from './config-fields.ts';

export { ConfigError } from './config-fields.ts';

export interface RedisConfig {
  url: string;
  /** Every key shares one hash tag so the write script's keys live in one cluster slot. */
  keyPrefix: string;
  /** Secrets Manager ARN of the auth token (ElastiCache), put into the URL at start. */
  authSecretArn: string | null;
  /**
   * Where socket servers subscribe to the update feed: a read replica (ElastiCache's reader
   * endpoint), so the primary sends each batch once, to the replica, however many socket
   * servers listen. Unset (or absent): the primary.
   */
  feedUrl?: string | null;
  /** How long a write waits for others to share its script call (ms; 0: only writes issued together). */
  writeBatchMs?: number;
  writeBatchMax?: number;
}

export interface CassandraConfig {
  contactPoints: string[];
  port: number;
  keyspace: string;
  localDataCenter: string;
  /** 'keyspaces' turns on TLS and SigV4 auth for Amazon Keyspaces. */
  flavour: 'cassandra' | 'keyspaces';
  region: string | null;
  username: string | null;
  password: string | null;
  replicationFactor: number;
}

export interface SocketConfig {
  tickMs: number;
  pingIntervalMs: number;
  maxBufferedBytes: number;
  maxMessageBytes: number;
  /** Messages a client may send per second before it is cut off (close 4002). */
  messagesPerSecond: number;
  connectionsPerIp: number;
  onlineIntervalMs: number;
  /** Reconnect requests (close 1012) are spread over this long when the server drains. */
  drainMs: number;
  /** The ECS task metadata endpoint (v4); when set, the server drains once its task's desired status is STOPPED. */
  taskMetadataUrl: string | null;
  /** How often that endpoint is polled (0 = never). */
  stopPollMs: number;
  /** Updates fetched per call when a socket server repairs a gap in its feed. */
  repairPageSize: number;
  /** How long (and how many bytes of) recent frames a socket server keeps to replay to reconnecting clients. */
  replayMs: number;
  /** How often the board's digest (tile hashes) goes to every client; 0: never. */
  digestMs: number;
  replayMaxBytes: number;
  /**
   * Connections the kernel queues for a socket server before it accepts them (capped by the
   * kernel's somaxconn): a lost server's clients arrive at the others all at once, and a full
   * queue drops handshakes that TCP then retries only after 1, 3, 7… s.
   */
  listenBacklog: number;
  /** 'relay': one elected socket server publishes a batch per tick; 'publish': every write publishes itself. */
  feedMode: 'relay' | 'publish';
  /** How long the relay's lease lives unless renewed: the longest the feed stalls if the relaying server dies. */
  relayLeaseMs: number;
  /** CloudWatch namespace for the connections metric (EMF log lines); null locally. */
  metricsNamespace: string | null;
  /** The ServiceName dimension of that metric (the ECS service). */
  serviceName: string;
}

export interface Config {
  board: BoardSize;
  cooldown: CooldownRules;
  sessionsPerIpPerHour: number;
  sessionSecret: string | null;
  sessionSecretArn: string | null;
  sessionMaxAgeMs: number;
  /** Where the client's address (the key of per-address caps) comes from. */
  clientAddress: ClientAddressRule;
  boardMaxAgeSeconds: number;
  updatesKept: number;
  /** At most this many updates in one `GET /api/pixels?since=` answer. */
  updatesPerResponse: number;
  /** Updates in one segment of `GET /api/updates/{epoch}/{segment}` (a full one is cached for good). */
  updatesSegment: number;
  /** Uncached reads of updates one address may make a minute. */
  readsPerIpPerMinute: number;
  redis: RedisConfig | null;
  cassandra: CassandraConfig | null;
  dataDir: string;
  host: string;
  port: number;
  socket: SocketConfig;
  writePixelFunction: string;
  lambdaEndpoint: string | null;
  /** Loopback port of the local Lambda Invoke API (for socket servers started with LAMBDA_ENDPOINT); null = off. */
  lambdaInvokePort: number | null;
  /** Writers that place every pixel (the runner forwards POST /api/pixels, socket servers send theirs); empty: neither does. */
  writerUrls: string[];
  /** A retry with the same Idempotency-Key within this time gets the original result. */
  idempotencyTtlMs: number;
  /** A placement pending persistence this long was orphaned by its writer and is drained. */
  orphanAfterMs: number;
  /** While persistence is failing, writes are refused and it is probed at most this often. */
  persistenceProbeMs: number;
  /** The rebuild lock lives this long unless renewed (it is renewed every third of it). */
  rebuildLockMs: number;
  /** A drain of orphaned placements reads this many at a time and has this many in flight. */
  drain: { batchSize: number; concurrency: number };
  snapshots: SnapshotConfig;
  publish: PublishConfig;
  rebuildJob: RebuildJobConfig;
  /** Moderators' batches (rollbacks, fills) and users' reports. */
  moderation: ModerationConfig;
  /** Templates, history, timelapse, heatmap and the export (issue 12). */
  community: CommunityConfig;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Sign-in, eligibility, proof of work, CAPTCHA and the adaptive defence level (core/guard-config.ts). */
  guard: GuardConfig;
}

export interface ModerationConfig {
  /** Pixels per moderator batch (one atomic script), and the pause between batches, in which ordinary writes run. */
  batch: number;
  pauseMs: number;
  /** Reports one user may send an hour. */
  reportsPerHour: number;
}

export interface PublishConfig {
  /** The board goes to the CDN's object store this often (0: never; GET /api/board then answers itself). */
  intervalMs: number;
  /** Its PNG this often. */
  pngIntervalMs: number;
  /** The S3 bucket CloudFront serves /boards/* from; null writes to DATA_DIR/published (the runner serves /boards/). */
  bucket: string | null;
}

export interface SnapshotConfig {
  /** A board snapshot every this often (0: never); restores start from one. */
  intervalMs: number;
  /** S3 bucket for snapshots; null keeps them in DATA_DIR/snapshots. */
  bucket: string | null;
  prefix: string;
  /** An S3-compatible endpoint instead of AWS's. */
  endpoint: string | null;
}

export interface CommunityConfig {
  /** S3 bucket for template images, timelapses and exports; null keeps them in DATA_DIR/media. */
  mediaBucket: string | null;
  mediaPrefix: string;
  /** Where browsers fetch stored media that is too large to pass through a function (a redirect target). */
  mediaUrl: string;
  templatesPerIpPerHour: number;
  /** Uncached heavy reads (history PNG, timelapse, heatmap) per address per minute, and in all. */
  heavyReadsPerIpPerMinute: number;
  heavyReadsPerMinute: number;
  /** Most placements one history, heatmap or timelapse request may replay from the journal. */
  historyMaxReplay: number;
  /** How often the template tracker reads new updates. */
  templateTickMs: number;
  /** Key of the export's user hash; null derives one from the session secret. */
  exportSecret: string | null;
}

export interface RebuildJobConfig {
  /** Where a restore runs when a request finds no board: in this process, a child process, or an ECS task. */
  mode: 'inline' | 'process' | 'ecs';
  cluster: string | null;
  taskDefinition: string | null;
  subnets: string[];
  securityGroups: string[];
}

type Env = Record<string, string | undefined>;

/** Every variable the service reads, with its default and limits. */
export const ENV_SCHEMA = z.object({
  PORT: int(8080, 0, 65535),
  HOST: text('127.0.0.1'),
  BOARD_WIDTH: int(1000, 1, 4096),
  BOARD_HEIGHT: int(1000, 1, 4096),
  COOLDOWN_MS: int(300_000, 0, 86_400_000),
  PLACEMENTS_PER_IP: int(30, 1, 1_000_000),
  SESSIONS_PER_IP_PER_HOUR: int(30, 1, 1_000_000),
  SESSION_SECRET: optionalText,
  SESSION_SECRET_ARN: optionalText,
  SESSION_MAX_AGE_DAYS: int(30, 1, 3650),
  CLIENT_ADDRESS_SOURCE: oneOf(CLIENT_ADDRESS_SOURCES, 'x-forwarded-for'),
  TRUSTED_PROXY_HOPS: int(0, 0, 5),
  BOARD_MAX_AGE_SECONDS: int(1, 0, 3600),
  UPDATES_KEPT: int(100_000, 100, 10_000_000),
  UPDATES_PER_RESPONSE: int(20_000, 100, 65_535),
  UPDATES_SEGMENT: int(8192, 64, 65_535),
  READS_PER_IP_PER_MINUTE: int(DEFAULT_READS_PER_IP_PER_MINUTE, 1, 1_000_000),
  DATA_DIR: text('./data'),
  REDIS_URL: redisUrl,
  REDIS_FEED_URL: redisUrl,
  REDIS_WRITE_BATCH_MS: int(2, 0, 50),
  REDIS_WRITE_BATCH_MAX: int(64, 1, 512),
  REDIS_KEY_PREFIX: text('place', /^[A-Za-z0-9_-]{1,40}$/),
  REDIS_AUTH_SECRET_ARN: optionalText,
  CASSANDRA_CONTACT_POINTS: optionalText,
  CASSANDRA_FLAVOUR: oneOf(['cassandra', 'keyspaces'], 'cassandra'),
  CASSANDRA_PORT: z.preprocess(blankIsUnset, z.string().optional()),
  CASSANDRA_KEYSPACE: text('place', /^[a-z][a-z0-9_]{0,47}$/),
  CASSANDRA_LOCAL_DC: optionalText,
  CASSANDRA_REGION: optionalText,
  AWS_REGION: optionalText,
  CASSANDRA_USERNAME: optionalText,
  CASSANDRA_PASSWORD: optionalText,
  CASSANDRA_REPLICATION_FACTOR: int(1, 1, 9),
  SOCKET_TICK_MS: int(50, 5, 5000),
  SOCKET_PING_MS: int(20_000, 100, 25_000),
  SOCKET_MAX_BUFFERED_BYTES: int(4 * 1024 * 1024, 1024, 1 << 30),
  SOCKET_MAX_MESSAGE_BYTES: int(1024, 64, 1 << 20),
  SOCKET_MESSAGES_PER_SECOND: int(20, 1, 10_000),
  SOCKET_CONNECTIONS_PER_IP: int(50, 1, 1_000_000),
  SOCKET_ONLINE_MS: int(5000, 100, 600_000),
  SOCKET_DRAIN_MS: int(5000, 0, 120_000),
  SOCKET_STOP_POLL_MS: int(1000, 0, 60_000),
  ECS_CONTAINER_METADATA_URI_V4: z.preprocess(blankIsUnset, z.url({ error: 'must be a URL' }).optional()).transform((v) => v ?? null),
  SOCKET_REPAIR_PAGE: int(10_000, 100, 65_535),
  SOCKET_REPLAY_MS: int(300_000, 0, 3_600_000),
  SOCKET_DIGEST_MS: int(60_000, 0, 3_600_000),
  SOCKET_REPLAY_MAX_BYTES: int(64 * 1024 * 1024, 0, 1 << 30),
  SOCKET_LISTEN_BACKLOG: int(4096, 1, 65_535),
  FEED_MODE: oneOf(['relay', 'publish'], 'relay'),
  RELAY_LEASE_MS: int(3000, 500, 60_000),
  SOCKET_METRICS_NAMESPACE: optionalText,
  SOCKET_SERVICE_NAME: text('socket-server'),
  WRITE_PIXEL_FUNCTION: text('write-pixel'),
  LAMBDA_ENDPOINT: optionalText,
  LAMBDA_INVOKE_PORT: z.preprocess(blankIsUnset, z.string().optional()),
  WRITER_URLS: httpOrigins('writer processes'),
  IDEMPOTENCY_TTL_MS: int(300_000, 1000, 86_400_000),
  ORPHAN_AFTER_MS: int(5000, 100, 600_000),
  PERSISTENCE_PROBE_MS: int(1000, 50, 60_000),
  REBUILD_LOCK_MS: int(30_000, 3000, 3_600_000),
  DRAIN_BATCH: int(200, 1, 10_000),
  DRAIN_CONCURRENCY: int(16, 1, 1024),
  LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error', 'silent'], 'info'),
  SNAPSHOT_INTERVAL_MS: int(300_000, 0, 86_400_000),
  BOARD_PUBLISH_MS: int(1000, 0, 600_000),
  BOARD_PNG_PUBLISH_MS: int(10_000, 1000, 3_600_000),
  BOARD_PUBLISH_BUCKET: optionalText,
  REBUILD_JOB: oneOf(['inline', 'process', 'ecs'], 'inline'),
  REBUILD_TASK_CLUSTER: optionalText,
  REBUILD_TASK_DEFINITION: optionalText,
  REBUILD_TASK_SUBNETS: optionalText,
  REBUILD_TASK_SECURITY_GROUPS: optionalText,
  SNAPSHOT_BUCKET: optionalText,
  SNAPSHOT_PREFIX: text('snapshots/', /^[A-Za-z0-9._/-]{0,200}$/),
  MODERATION_BATCH: int(200, 1, 5000),
  MODERATION_PAUSE_MS: int(5, 0, 10_000),
  REPORTS_PER_USER_PER_HOUR: int(10, 1, 10_000),
  MEDIA_BUCKET: optionalText,
  MEDIA_PREFIX: text('media/', /^[A-Za-z0-9._/-]{0,200}$/),
  MEDIA_URL: text('/media/', /^(\/|https:\/\/)\S*\/$/),
  TEMPLATES_PER_IP_PER_HOUR: int(20, 1, 1_000_000),
  HEAVY_READS_PER_IP_PER_MINUTE: int(20, 1, 1_000_000),
  HEAVY_READS_PER_MINUTE: int(600, 1, 10_000_000),
  HISTORY_MAX_REPLAY: int(500_000, 1000, 100_000_000),
  TEMPLATE_TICK_MS: int(250, 10, 60_000),
  EXPORT_SECRET: optionalText,
  S3_ENDPOINT: z.preprocess(blankIsUnset, z.string().regex(/^https?:\/\//, { error: 'must be an http(s) URL' }).optional()).transform((v) => v ?? null),
  ...GUARD_SCHEMA,
});

/** The variables a deployment sets that are not ours to document (read as fallbacks). */
export const FOREIGN_VARIABLES = new Set(['AWS_REGION', 'ECS_CONTAINER_METADATA_URI_V4']);

function parse<T>(schema: z.ZodType<T>, name: string, value: string | undefined): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError(name, result.error.issues[0]?.message ?? 'is not valid');
  return result.data;
}

export function loadConfig(env: Env = process.env): Config {
  const result = ENV_SCHEMA.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = result.data;
  return {
    board: { width: e.BOARD_WIDTH, height: e.BOARD_HEIGHT },
    cooldown: { cooldownMs: e.COOLDOWN_MS, placementsPerIp: e.PLACEMENTS_PER_IP },
    sessionsPerIpPerHour: e.SESSIONS_PER_IP_PER_HOUR,
    sessionSecret: e.SESSION_SECRET,
    sessionSecretArn: e.SESSION_SECRET_ARN,
    sessionMaxAgeMs: e.SESSION_MAX_AGE_DAYS * 86_400_000,
    clientAddress: { source: e.CLIENT_ADDRESS_SOURCE, trustedProxyHops: e.TRUSTED_PROXY_HOPS },
    boardMaxAgeSeconds: e.BOARD_MAX_AGE_SECONDS,
    updatesKept: e.UPDATES_KEPT,
    updatesPerResponse: e.UPDATES_PER_RESPONSE,
    updatesSegment: e.UPDATES_SEGMENT,
    readsPerIpPerMinute: e.READS_PER_IP_PER_MINUTE,
    redis: redisConfig(e),
    cassandra: cassandraConfig(e),
    dataDir: e.DATA_DIR,
    host: e.HOST,
    port: e.PORT,
    socket: {
      tickMs: e.SOCKET_TICK_MS,
      pingIntervalMs: e.SOCKET_PING_MS,
      maxBufferedBytes: e.SOCKET_MAX_BUFFERED_BYTES,
      maxMessageBytes: e.SOCKET_MAX_MESSAGE_BYTES,
      messagesPerSecond: e.SOCKET_MESSAGES_PER_SECOND,
      connectionsPerIp: e.SOCKET_CONNECTIONS_PER_IP,
      onlineIntervalMs: e.SOCKET_ONLINE_MS,
      drainMs: e.SOCKET_DRAIN_MS,
      taskMetadataUrl: e.ECS_CONTAINER_METADATA_URI_V4,
      stopPollMs: e.SOCKET_STOP_POLL_MS,
      repairPageSize: e.SOCKET_REPAIR_PAGE,
      replayMs: e.SOCKET_REPLAY_MS,
      digestMs: e.SOCKET_DIGEST_MS,
      replayMaxBytes: e.SOCKET_REPLAY_MAX_BYTES,
      listenBacklog: e.SOCKET_LISTEN_BACKLOG,
      feedMode: e.FEED_MODE,
      relayLeaseMs: e.RELAY_LEASE_MS,
      metricsNamespace: e.SOCKET_METRICS_NAMESPACE,
      serviceName: e.SOCKET_SERVICE_NAME,
    },
    writePixelFunction: e.WRITE_PIXEL_FUNCTION,
    lambdaEndpoint: e.LAMBDA_ENDPOINT,
    lambdaInvokePort: e.LAMBDA_INVOKE_PORT === undefined ? null : parse(int(0, 0, 65535), 'LAMBDA_INVOKE_PORT', e.LAMBDA_INVOKE_PORT),
    writerUrls: e.WRITER_URLS,
    idempotencyTtlMs: e.IDEMPOTENCY_TTL_MS,
    orphanAfterMs: e.ORPHAN_AFTER_MS,
    persistenceProbeMs: e.PERSISTENCE_PROBE_MS,
    rebuildLockMs: e.REBUILD_LOCK_MS,
    drain: { batchSize: e.DRAIN_BATCH, concurrency: e.DRAIN_CONCURRENCY },
    rebuildJob: rebuildJobConfig(e),
    publish: { intervalMs: e.BOARD_PUBLISH_MS, pngIntervalMs: e.BOARD_PNG_PUBLISH_MS, bucket: e.BOARD_PUBLISH_BUCKET },
    snapshots: { intervalMs: e.SNAPSHOT_INTERVAL_MS, bucket: e.SNAPSHOT_BUCKET, prefix: e.SNAPSHOT_PREFIX, endpoint: e.S3_ENDPOINT },
    moderation: { batch: e.MODERATION_BATCH, pauseMs: e.MODERATION_PAUSE_MS, reportsPerHour: e.REPORTS_PER_USER_PER_HOUR },
    community: {
      mediaBucket: e.MEDIA_BUCKET, mediaPrefix: e.MEDIA_PREFIX, mediaUrl: e.MEDIA_URL,
      templatesPerIpPerHour: e.TEMPLATES_PER_IP_PER_HOUR,
      heavyReadsPerIpPerMinute: e.HEAVY_READS_PER_IP_PER_MINUTE, heavyReadsPerMinute: e.HEAVY_READS_PER_MINUTE,
      historyMaxReplay: e.HISTORY_MAX_REPLAY, templateTickMs: e.TEMPLATE_TICK_MS, exportSecret: e.EXPORT_SECRET,
    },
    logLevel: e.LOG_LEVEL,
    guard: guardConfig(e),
  };
}

function rebuildJobConfig(e: z.infer<typeof ENV_SCHEMA>): RebuildJobConfig {
  const list = (v: string | null) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const job: RebuildJobConfig = {
    mode: e.REBUILD_JOB, cluster: e.REBUILD_TASK_CLUSTER, taskDefinition: e.REBUILD_TASK_DEFINITION,
    subnets: list(e.REBUILD_TASK_SUBNETS), securityGroups: list(e.REBUILD_TASK_SECURITY_GROUPS),
  };
  if (job.mode === 'ecs') {
    if (!job.cluster) throw new ConfigError('REBUILD_TASK_CLUSTER', 'is required when REBUILD_JOB=ecs');
    if (!job.taskDefinition) throw new ConfigError('REBUILD_TASK_DEFINITION', 'is required when REBUILD_JOB=ecs');
    if (job.subnets.length === 0) throw new ConfigError('REBUILD_TASK_SUBNETS', 'is required when REBUILD_JOB=ecs');
  }
  return job;
}

function redisConfig(e: z.infer<typeof ENV_SCHEMA>): RedisConfig | null {
  if (!e.REDIS_URL) {
    if (e.REDIS_FEED_URL) throw new ConfigError('REDIS_FEED_URL', 'needs REDIS_URL (the primary) as well');
    return null;
  }
  const { REDIS_URL: url, REDIS_KEY_PREFIX: keyPrefix, REDIS_AUTH_SECRET_ARN: authSecretArn, REDIS_FEED_URL: feedUrl } = e;
  return { url, keyPrefix, authSecretArn, feedUrl, writeBatchMs: e.REDIS_WRITE_BATCH_MS, writeBatchMax: e.REDIS_WRITE_BATCH_MAX };
}

function cassandraConfig(e: z.infer<typeof ENV_SCHEMA>): CassandraConfig | null {
  if (!e.CASSANDRA_CONTACT_POINTS) return null;
  const flavour = e.CASSANDRA_FLAVOUR;
  const region = e.CASSANDRA_REGION ?? e.AWS_REGION;
  if (flavour === 'keyspaces' && !region) throw new ConfigError('CASSANDRA_REGION', 'is required for Amazon Keyspaces');
  return {
    contactPoints: e.CASSANDRA_CONTACT_POINTS.split(',').map((p) => p.trim()).filter(Boolean),
    port: parse(int(flavour === 'keyspaces' ? 9142 : 9042, 1, 65535), 'CASSANDRA_PORT', e.CASSANDRA_PORT),
    keyspace: e.CASSANDRA_KEYSPACE,
    localDataCenter: e.CASSANDRA_LOCAL_DC ?? (flavour === 'keyspaces' ? (region ?? '') : 'datacenter1'),
    flavour,
    region,
    username: e.CASSANDRA_USERNAME,
    password: e.CASSANDRA_PASSWORD,
    replicationFactor: e.CASSANDRA_REPLICATION_FACTOR,
  };
}
