// The service under test: the local runner as its own process on embedded stores, restartable
// on the same port and data (the socket server restarts with it).
import { ENTRY, startServiceProcess, type ServiceProcess } from '../local/processes/node-process.ts';
import { freePort, tempDir } from '../test-support/test-services.ts';

export interface E2eService {
  url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startE2eService(env: Record<string, string> = {}): Promise<E2eService> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const fullEnv = {
    PORT: String(port), DATA_DIR: tempDir('e2e-data'), SESSION_SECRET: 'e2e-secret', BOARD_WIDTH: '200', BOARD_HEIGHT: '150',
    COOLDOWN_MS: '4000', SOCKET_TICK_MS: '20', SESSIONS_PER_IP_PER_HOUR: '100000', PLACEMENTS_PER_IP: '100000',
    SOCKET_CONNECTIONS_PER_IP: '100000', SOCKET_DRAIN_MS: '200', POW_DIFFICULTY: '5000', POW_EVERY: '0',
    // Tests read the board's seq to count placements: the live one, not a copy a second old.
    // big-board.spec.ts turns publishing on.
    BOARD_PUBLISH_MS: '0', ...env,
  };
  let proc: ServiceProcess = await startServiceProcess(fullEnv, ENTRY.runner, 'ignore');
  return {
    url: `http://127.0.0.1:${port}`,
    restart: async () => {
      await proc.stop();
      proc = await startServiceProcess(fullEnv, ENTRY.runner, 'ignore');
    },
    stop: () => proc.stop(),
  };
}
