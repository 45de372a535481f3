// What the handlers run on: config and store clients, created once per Lambda container (or
// per local-runner process, which provides its own) and reused by every invocation.
import { loadConfig, type Config } from '../core/config.ts';
import { createBoardStore, createPixelLog, createServices, createSnapshotStore, localSessionSecret, type Services } from '../core/service/services.ts';
import { StoreUnavailableError } from '../core/errors.ts';
import { readSecretString, withRedisAuth } from '../core/aws-secrets.ts';
import { useTelemetry } from '../core/observability/telemetry.ts';
import { lambdaTelemetry } from './http/lambda-telemetry.ts';

// In Lambda, logs and metrics go through Powertools (JSON with the request id, EMF metrics).
if (process.env.AWS_LAMBDA_FUNCTION_NAME) {
  let level = 'info';
  try {
    level = loadConfig().logLevel;
  } catch {
    // A bad setting is reported by the first request (500 "bad configuration"), in the logs.
  }
  useTelemetry(lambdaTelemetry({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'pixel-board', level }));
}

let config: Config | null = null;
let current: Promise<Services> | null = null;

export function runtimeConfig(): Config {
  config ??= loadConfig();
  return config;
}

/** The local runner and tests hand in services they built (sharing embedded stores with the socket server). */
export function provideServices(services: Services): void {
  config = services.config;
  current = Promise.resolve(services);
}

export function resetServices(): void {
  config = null;
  current = null;
  stores = null;
}

/** The session key: from Secrets Manager (SESSION_SECRET_ARN), else as a local run keeps it. */
export async function sessionSecret(cfg: Config): Promise<string> {
  if (cfg.sessionSecretArn) return readSecretString(cfg.sessionSecretArn);
  if (process.env.AWS_LAMBDA_FUNCTION_NAME && !cfg.sessionSecret) {
    throw new Error('SESSION_SECRET or SESSION_SECRET_ARN must be set in Lambda');
  }
  return localSessionSecret(cfg);
}

export function services(): Promise<Services> {
  if (!current) {
    const starting = withRedisAuth(runtimeConfig()).then((cfg) => createServices(cfg, { secret: sessionSecret, ensureBoardAtStart: false })).catch((err: unknown) => {
      current = null; // the next invocation tries again
      if (err instanceof StoreUnavailableError) throw err;
      throw new StoreUnavailableError(`services could not start: ${(err as Error).message}`, { cause: err });
    });
    current = starting;
  }
  return current;
}

/** What a scheduled job works on: the stores and the snapshots, without the session key (it may not read it). */
export type StoreServices = Pick<Services, 'config' | 'store' | 'log' | 'snapshots' | 'size'>;

let stores: Promise<StoreServices> | null = null;

/** The services the runner or a test provided, or, in a job's own Lambda container, the stores alone. */
export function storeServices(): Promise<StoreServices> {
  if (current) return current;
  stores ??= (async () => {
    const cfg = await withRedisAuth(runtimeConfig());
    const store = await createBoardStore(cfg);
    try {
      return { config: cfg, store, log: await createPixelLog(cfg), snapshots: createSnapshotStore(cfg), size: cfg.board };
    } catch (err) {
      await store.close();
      throw err;
    }
  })().catch((err: unknown) => {
    stores = null; // the next invocation tries again
    if (err instanceof StoreUnavailableError) throw err;
    throw new StoreUnavailableError(`stores could not start: ${(err as Error).message}`, { cause: err });
  });
  return stores;
}
