// `npm start`: the whole service in one process on http://127.0.0.1:8080. Embedded stores by
// default (data in ./data); REDIS_URL and CASSANDRA_CONTACT_POINTS switch to the real ones.
import { processConfig } from '../core/process-config.ts';
import { createServices } from '../core/service/services.ts';
import { startLocalServer } from '../local/local-server.ts';
import { attachSocketServer } from '../local/local-sockets.ts';
import { staticWeb } from '../local/static-web.ts';
import { startInvokeServer } from '../local/lambda-invoke-api.ts';
import { HANDLERS } from '../lambdas/handlers.ts';

const config = await processConfig();
const services = await createServices(config);
const server = await startLocalServer(services, { host: config.host, port: config.port, fallback: await staticWeb() });
const sockets = await attachSocketServer(services, server);
// Only for separate socket-server processes (start:cluster): loopback, never the page's port.
const invoke = config.lambdaInvokePort === null ? null : await startInvokeServer(config.lambdaInvokePort, HANDLERS);
if (invoke) console.log(`Lambda Invoke API for local socket servers on ${invoke.url}`);
const stores = `${config.redis ? 'Redis' : 'embedded board'} + ${config.cassandra ? 'Cassandra' : `file log in ${config.dataDir}`}`;
console.log(`pixel board on ${server.url} (${config.board.width}×${config.board.height}, ${stores})`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  if (signal === 'SIGTERM') await sockets.drain();
  await sockets.close();
  await invoke?.close();
  await server.close();
  await services.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
