// `npm start`: the whole service in one process on http://127.0.0.1:8080. Embedded stores by
// default (data in ./data); REDIS_URL and CASSANDRA_CONTACT_POINTS switch to the real ones.
import { configOrExit } from '../core/config-or-exit.ts';
import { createServices } from '../core/service/services.ts';
import { startLocalServer } from './local-server.ts';
import { attachSocketServer } from './local-sockets.ts';
import { staticWeb } from './static-web.ts';

const config = configOrExit();
const services = await createServices(config);
const server = await startLocalServer(services, { host: config.host, port: config.port, fallback: await staticWeb() });
const sockets = await attachSocketServer(services, server);
const stores = `${config.redis ? 'Redis' : 'embedded board'} + ${config.cassandra ? 'Cassandra' : `file log in ${config.dataDir}`}`;
console.log(`pixel board on ${server.url} (${config.board.width}×${config.board.height}, ${stores})`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  if (signal === 'SIGTERM') await sockets.drain();
  await sockets.close();
  await server.close();
  await services.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
