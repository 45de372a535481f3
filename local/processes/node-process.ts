// Runs one of the project's entry points (the local runner, a socket server) as its own Node
// process on a given port, for tests, benchmarks and the local cluster.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { killChild, killWithParent, stopChild, waitForPort } from './process-control.ts';
import { freePort, tempDir } from '../../test-support/test-services.ts';

export interface ServiceProcess {
  port: number;
  child: ChildProcess;
  /** SIGTERM (the socket server drains), then SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

/** The project's entry points (bin/), by what they run. */
export const ENTRY = {
  runner: 'bin/start.ts',
  socketServer: 'bin/socket-server.ts',
  writer: 'bin/writer.ts',
  migrate: 'bin/migrate.ts',
  rebuild: 'bin/rebuild.ts',
  sessions: 'bin/sessions.ts',
} as const;

/**
 * An entry point as a child process (so a load generator does not share its event loop). Without
 * a DATA_DIR in `env` it gets a fresh folder of its own, never the working directory's ./data.
 */
export async function startServiceProcess(
  env: Record<string, string>, entry: string = ENTRY.runner, stdio: 'inherit' | 'ignore' | { logFile: string } = 'inherit',
): Promise<ServiceProcess> {
  const port = Number(env.PORT) || (await freePort());
  const out = typeof stdio === 'object' ? openSync(stdio.logFile, 'a') : stdio;
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, DATA_DIR: tempDir('service-data'), ...env, PORT: String(port) }, stdio: ['ignore', out, out],
  });
  if (typeof out === 'number') closeSync(out);
  killWithParent(child);
  let exited: string | null = null;
  child.once('exit', (code) => { exited = `service exited with code ${code}`; });
  await waitForPort(port, 60_000, () => exited);
  return {
    port,
    child,
    stop: () => stopChild(child, 10_000),
    kill: () => killChild(child),
  };
}
