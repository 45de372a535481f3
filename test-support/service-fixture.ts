// A running service for tests: the local runner on a free port, on embedded stores or on a
// real redis-server + Cassandra keyspace (optionally behind cuttable proxies).
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../core/config.ts';
import { createServices, type Services } from '../core/service/services.ts';
import { resetServices } from '../lambdas/runtime.ts';
import { startLocalServer, type LocalServer, type LocalServerOptions } from '../local/local-server.ts';
import { freshKeyspace, startTestRedis, tempDir } from './test-services.ts';
import { startRedis, type RedisProcess } from '../local/processes/redis-process.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { startInvokeServer, type InvokeServer } from '../local/lambda-invoke-api.ts';
import { HANDLERS } from '../lambdas/handlers.ts';

export type Backend = 'embedded' | 'real';

export interface ServiceFixture {
  readonly backend: Backend;
  readonly url: string;
  /** The loopback Lambda Invoke API (what separate socket-server processes use as LAMBDA_ENDPOINT). */
  readonly invokeUrl: string;
  readonly config: Config;
  services: Services;
  server: LocalServer;
  redisProxy: TcpProxy | null;
  /** The real Redis URL the service uses (through the proxy when there is one). */
  readonly redisUrl: string | null;
  /** Stops Redis and starts an empty one on the same port (a restart that lost its data). */
  restartRedis(): Promise<void>;
  cassandraProxy: TcpProxy | null;
  /** Loses the live store's state: FLUSHALL of Redis, or a restart of the embedded process. */
  loseLiveState(): Promise<void>;
  /** Stops and starts the service on the same data and port, as a restart does. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  env?: Record<string, string>;
  proxies?: boolean;
  fallback?: LocalServerOptions['fallback'];
}

export async function startServiceFixture(backend: Backend, options: FixtureOptions = {}): Promise<ServiceFixture> {
  let redis: RedisProcess | null = null;
  let redisProxy: TcpProxy | null = null;
  let cassandraProxy: TcpProxy | null = null;
  const env: Record<string, string> = {
    DATA_DIR: tempDir('place-data'), PORT: '0', COOLDOWN_MS: '60000', SESSION_SECRET: 'test-secret',
    // every test client comes from 127.0.0.1
    SESSIONS_PER_IP_PER_HOUR: '1000000', PLACEMENTS_PER_IP: '1000000',
    // Proof of work on (as by default) but cheap, and asked only to start a session.
    POW_DIFFICULTY: '1000', POW_EVERY: '0',
    // A test's burst of writes is not an attack: the defence level stays down (its tests raise it).
    DEFENCE_MIN_PLACEMENTS: '1000000000',
    // Tests compare clients with the live board; a published copy lags by up to a second.
    // The publishing tests turn it on.
    BOARD_PUBLISH_MS: '0',
    ...options.env,
  };
  if (backend === 'real') {
    redis = await startTestRedis();
    const cassandra = await freshKeyspace();
    if (options.proxies) {
      redisProxy = await startTcpProxy(redis.port);
      cassandraProxy = await startTcpProxy(cassandra.port);
    }
    Object.assign(env, {
      REDIS_URL: `redis://127.0.0.1:${redisProxy?.port ?? redis.port}`,
      CASSANDRA_CONTACT_POINTS: '127.0.0.1',
      CASSANDRA_PORT: String(cassandraProxy?.port ?? cassandra.port),
      CASSANDRA_KEYSPACE: cassandra.keyspace,
    });
  }
  const config = loadConfig(env);
  const start = async (port: number) => {
    resetServices();
    const services = await createServices(config);
    const server = await startLocalServer(services, { host: '127.0.0.1', port, fallback: options.fallback });
    return { services, server };
  };
  let { services, server } = await start(0);
  const port = server.port;
  const invoke: InvokeServer = await startInvokeServer(0, HANDLERS);

  const fixture: ServiceFixture = {
    backend,
    url: server.url,
    invokeUrl: invoke.url,
    config,
    services,
    server,
    redisProxy,
    cassandraProxy,
    redisUrl: env.REDIS_URL ?? null,
    async restartRedis() {
      if (!redis) throw new Error('no Redis in an embedded fixture');
      const port = redis.port;
      await redis.stop();
      redis = await startRedis({ port, dataDir: tempDir('redis') });
    },
    async loseLiveState() {
      if (redis) {
        const raw = new Redis(redis.url);
        await raw.flushall();
        raw.disconnect();
      } else {
        await fixture.restart();
      }
    },
    async restart() {
      await fixture.server.close();
      await fixture.services.close();
      ({ services, server } = await start(port));
      fixture.services = services;
      fixture.server = server;
    },
    async close() {
      await invoke.close();
      await fixture.server.close();
      await fixture.services.close();
      await redisProxy?.close();
      await cassandraProxy?.close();
      await redis?.stop();
    },
  };
  return fixture;
}
