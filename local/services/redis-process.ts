// Starts Debian's redis-server on 127.0.0.1 with its own port and folder (tests, start:cluster).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { canConnect, killWithParent, stopChild, waitForPort } from './process-control.ts';

export interface RedisProcess {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startRedis(opts: { port: number; dataDir: string; appendOnly?: boolean }): Promise<RedisProcess> {
  if (await canConnect(opts.port)) throw new Error(`port ${opts.port} is already in use`);
  mkdirSync(opts.dataDir, { recursive: true });
  const child = spawn('redis-server', [
    '--bind', '127.0.0.1', '--port', String(opts.port), '--dir', opts.dataDir,
    '--save', '', '--appendonly', opts.appendOnly ? 'yes' : 'no', '--protected-mode', 'yes',
    '--daemonize', 'no', '--loglevel', 'warning',
  ], { stdio: 'ignore' });
  killWithParent(child);
  let exitInfo: string | null = null;
  child.once('exit', (code) => { exitInfo = `redis-server exited early (code ${code})`; });
  child.once('error', (err) => { exitInfo = `could not start redis-server: ${err.message}`; });
  await waitForPort(opts.port, 10_000, () => exitInfo);
  return { port: opts.port, url: `redis://127.0.0.1:${opts.port}`, stop: () => stopChild(child, 5000) };
}
