// All settings, read from the environment and validated once at start. A bad setting fails
// here with a message naming the variable, never later in a request.
import type { BoardSize } from './domain/board-codec.ts';
import type { CooldownRules } from './domain/cooldown.ts';

export interface RedisConfig {
  url: string;
  /** Every key shares one hash tag so the write script's keys live in one cluster slot. */
  keyPrefix: string;
  /** Secrets Manager ARN of the auth token (ElastiCache), put into the URL at start. */
  authSecretArn: string | null;
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
  connectionsPerIp: number;
  onlineIntervalMs: number;
  drainMs: number;
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
  trustedProxyHops: number;
  boardMaxAgeSeconds: number;
  updatesKept: number;
  redis: RedisConfig | null;
  cassandra: CassandraConfig | null;
  dataDir: string;
  host: string;
  port: number;
  socket: SocketConfig;
  writePixelFunction: string;
  lambdaEndpoint: string | null;
  /** Loopback port of the local Lambda Invoke API (start:cluster's socket servers use it); null = off. */
  lambdaInvokePort: number | null;
  /** A retry with the same Idempotency-Key within this time gets the original result. */
  idempotencyTtlMs: number;
  /** A placement pending persistence this long was orphaned by its writer and is drained. */
  orphanAfterMs: number;
  /** While persistence is failing, writes are refused and it is probed at most this often. */
  persistenceProbeMs: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `expected an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be from ${min} to ${max}, got ${value}`);
  return value;
}

function text(env: Env, name: string, fallback: string, pattern?: RegExp): string {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : raw.trim();
  if (pattern && !pattern.test(value)) throw new ConfigError(name, `"${value}" is not valid (expected ${pattern})`);
  return value;
}

function optional(env: Env, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? null : raw.trim();
}

function redisConfig(env: Env): RedisConfig | null {
  const url = optional(env, 'REDIS_URL');
  if (!url) return null;
  if (!/^rediss?:\/\//.test(url)) throw new ConfigError('REDIS_URL', 'must start with redis:// or rediss://');
  return {
    url,
    keyPrefix: text(env, 'REDIS_KEY_PREFIX', 'place', /^[A-Za-z0-9_-]{1,40}$/),
    authSecretArn: optional(env, 'REDIS_AUTH_SECRET_ARN'),
  };
}

function cassandraConfig(env: Env): CassandraConfig | null {
  const points = optional(env, 'CASSANDRA_CONTACT_POINTS');
  if (!points) return null;
  const flavour = text(env, 'CASSANDRA_FLAVOUR', 'cassandra');
  if (flavour !== 'cassandra' && flavour !== 'keyspaces') {
    throw new ConfigError('CASSANDRA_FLAVOUR', `must be "cassandra" or "keyspaces", got "${flavour}"`);
  }
  const region = optional(env, 'CASSANDRA_REGION') ?? optional(env, 'AWS_REGION');
  if (flavour === 'keyspaces' && !region) throw new ConfigError('CASSANDRA_REGION', 'is required for Amazon Keyspaces');
  return {
    contactPoints: points.split(',').map((p) => p.trim()).filter(Boolean),
    port: integer(env, 'CASSANDRA_PORT', flavour === 'keyspaces' ? 9142 : 9042, 1, 65535),
    keyspace: text(env, 'CASSANDRA_KEYSPACE', 'place', /^[a-z][a-z0-9_]{0,47}$/),
    localDataCenter: text(env, 'CASSANDRA_LOCAL_DC', flavour === 'keyspaces' ? (region ?? '') : 'datacenter1'),
    flavour,
    region,
    username: optional(env, 'CASSANDRA_USERNAME'),
    password: optional(env, 'CASSANDRA_PASSWORD'),
    replicationFactor: integer(env, 'CASSANDRA_REPLICATION_FACTOR', 1, 1, 9),
  };
}

export function loadConfig(env: Env = process.env): Config {
  const cooldownMs = integer(env, 'COOLDOWN_MS', 300_000, 0, 86_400_000);
  return {
    board: {
      width: integer(env, 'BOARD_WIDTH', 1000, 1, 4096),
      height: integer(env, 'BOARD_HEIGHT', 1000, 1, 4096),
    },
    cooldown: { cooldownMs, placementsPerIp: integer(env, 'PLACEMENTS_PER_IP', 30, 1, 1_000_000) },
    sessionsPerIpPerHour: integer(env, 'SESSIONS_PER_IP_PER_HOUR', 30, 1, 1_000_000),
    sessionSecret: optional(env, 'SESSION_SECRET'),
    sessionSecretArn: optional(env, 'SESSION_SECRET_ARN'),
    sessionMaxAgeMs: integer(env, 'SESSION_MAX_AGE_DAYS', 30, 1, 3650) * 86_400_000,
    trustedProxyHops: integer(env, 'TRUSTED_PROXY_HOPS', 0, 0, 5),
    boardMaxAgeSeconds: integer(env, 'BOARD_MAX_AGE_SECONDS', 1, 0, 3600),
    updatesKept: integer(env, 'UPDATES_KEPT', 100_000, 100, 10_000_000),
    redis: redisConfig(env),
    cassandra: cassandraConfig(env),
    dataDir: text(env, 'DATA_DIR', './data'),
    host: text(env, 'HOST', '127.0.0.1'),
    port: integer(env, 'PORT', 8080, 0, 65535),
    socket: {
      tickMs: integer(env, 'SOCKET_TICK_MS', 50, 5, 5000),
      pingIntervalMs: integer(env, 'SOCKET_PING_MS', 20_000, 100, 25_000),
      maxBufferedBytes: integer(env, 'SOCKET_MAX_BUFFERED_BYTES', 4 * 1024 * 1024, 1024, 1 << 30),
      maxMessageBytes: integer(env, 'SOCKET_MAX_MESSAGE_BYTES', 1024, 64, 1 << 20),
      connectionsPerIp: integer(env, 'SOCKET_CONNECTIONS_PER_IP', 50, 1, 1_000_000),
      onlineIntervalMs: integer(env, 'SOCKET_ONLINE_MS', 5000, 100, 600_000),
      drainMs: integer(env, 'SOCKET_DRAIN_MS', 5000, 0, 120_000),
      metricsNamespace: optional(env, 'SOCKET_METRICS_NAMESPACE'),
      serviceName: text(env, 'SOCKET_SERVICE_NAME', 'socket-server'),
    },
    writePixelFunction: text(env, 'WRITE_PIXEL_FUNCTION', 'write-pixel'),
    lambdaEndpoint: optional(env, 'LAMBDA_ENDPOINT'),
    lambdaInvokePort: optional(env, 'LAMBDA_INVOKE_PORT') === null ? null : integer(env, 'LAMBDA_INVOKE_PORT', 0, 0, 65535),
    idempotencyTtlMs: integer(env, 'IDEMPOTENCY_TTL_MS', 600_000, 1000, 86_400_000),
    orphanAfterMs: integer(env, 'ORPHAN_AFTER_MS', 5000, 100, 600_000),
    persistenceProbeMs: integer(env, 'PERSISTENCE_PROBE_MS', 1000, 50, 60_000),
  };
}
