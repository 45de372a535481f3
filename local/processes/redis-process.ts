// Starts Debian's redis-server on 127.0.0.1 with its own port and folder (tests, start:cluster).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { canConnect, killChild, killWithParent, stopChild, waitForPort } from './process-control.ts';
import { REDIS_SERVER_SETTINGS } from '../../core/board-store/redis-server-settings.ts';

export interface RedisProcess {
  readonly port: number;
  /** The server's process id (benchmarks read its CPU time from /proc). */
  readonly pid: number;
  readonly url: string;
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

export interface RedisOptions {
  port: number;
  dataDir: string;
  /**
   * Keep an append-only file, fsynced before each reply is sent ('always'): a write the service
   * saw succeed survives a kill -9. Redis's own default ('everysec') may lose the last second.
   */
  appendOnly?: boolean;
  /** Start as a read replica of the Redis on this local port (as ElastiCache's replicas are). */
  replicaOf?: number;
  /** The server binary (default Debian's `redis-server`); benchmarks may run Valkey's instead (bench/get-valkey.ts). */
  server?: string;
}

export async function startRedis(opts: RedisOptions): Promise<RedisProcess> {
  if (await canConnect(opts.port)) throw new Error(`port ${opts.port} is already in use`);
  mkdirSync(opts.dataDir, { recursive: true });
  const server = opts.server ?? 'redis-server';
  const child = spawn(server, [
    '--bind', '127.0.0.1', '--port', String(opts.port), '--dir', opts.dataDir,
    '--save', '', '--appendonly', opts.appendOnly ? 'yes' : 'no', '--appendfsync', 'always', '--protected-mode', 'yes',
    '--daemonize', 'no', '--loglevel', 'warning', '--repl-diskless-sync-delay', '0', // a replica syncs at once
    // A placements bucket that expires (writes stopped) is freed off the main thread, as Valkey 8 does by default.
    '--lazyfree-lazy-expire', 'yes',
    ...Object.entries(REDIS_SERVER_SETTINGS).flatMap(([name, value]) => [`--${name}`, value]),
    ...(opts.replicaOf ? ['--replicaof', '127.0.0.1', String(opts.replicaOf)] : []),
  ], { stdio: 'ignore' });
  killWithParent(child);
  let exitInfo: string | null = null;
  child.once('exit', (code) => { exitInfo = `${server} exited early (code ${code})`; });
  child.once('error', (err) => { exitInfo = `could not start ${server}: ${err.message}`; });
  await waitForPort(opts.port, 10_000, () => exitInfo);
  return { port: opts.port, pid: child.pid!, url: `redis://127.0.0.1:${opts.port}`, stop: () => stopChild(child, 5000), kill: () => killChild(child) };
}
