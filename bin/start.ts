// `npm start`: the whole service in one process on http://127.0.0.1:8080. Embedded stores by
// default (data in ./data); REDIS_URL and CASSANDRA_CONTACT_POINTS switch to the real ones.
import { processConfig } from '../core/process-config.ts';
import { createServices } from '../core/service/services.ts';
import { log, useTelemetry } from '../core/observability/telemetry.ts';
import { nodeTelemetry } from '../core/observability/node-telemetry.ts';
import { startLocalServer, type RequestHook } from '../local/local-server.ts';
import { attachSocketServer } from '../local/local-sockets.ts';
import { staticWeb } from '../local/static-web.ts';
import { startInvokeServer } from '../local/lambda-invoke-api.ts';
import { HANDLERS } from '../lambdas/handlers.ts';
import { registerSocketMetrics } from '../socket-server/socket-metrics.ts';
import { scheduleSnapshots } from '../core/service/snapshots.ts';
import { startTemplateTracker } from '../core/community/template-tracker.ts';
import { mediaFiles } from '../local/media-files.ts';
import { WriterForwarder } from '../local/writer-forward.ts';

const config = await processConfig();
const telemetry = nodeTelemetry({ level: config.logLevel, name: 'runner' });
useTelemetry(telemetry);
const services = await createServices(config);
const page = await staticWeb();
const media = mediaFiles(services);
const fallback: RequestHook = async (req, res, target) => {
  if (await media(req, res, target)) return true;
  if (target.path !== '/metrics') return page(req, res, target);
  res.writeHead(200, { 'content-type': telemetry.registry.contentType });
  res.end(await telemetry.registry.metrics());
  return true;
};
// start:cluster: the page's writes go to the writer processes, as the ALB sends them to the writer tasks in AWS.
const writers = config.writerUrls.length ? new WriterForwarder(config.writerUrls) : null;
const server = await startLocalServer(services, { host: config.host, port: config.port, fallback, writers });
const sockets = await attachSocketServer(services, server);
// With several runners on one Redis, whichever takes the snapshot lock takes each snapshot.
const stopSnapshots = scheduleSnapshots(services, config.snapshots.intervalMs);
// Template progress (issue 12): this runner tracks when it holds the lease.
const tracker = startTemplateTracker(config, services.store, services.community.live);
registerSocketMetrics(telemetry.registry, sockets.server);
// Only for separate socket-server processes (start:cluster): loopback, never the page's port.
const invoke = config.lambdaInvokePort === null ? null : await startInvokeServer(config.lambdaInvokePort, HANDLERS);
if (invoke) log.info('Lambda Invoke API for local socket servers', { url: invoke.url });
const stores = `${config.redis ? 'Redis' : 'embedded board'} + ${config.cassandra ? 'Cassandra' : `file log in ${config.dataDir}`}`;
console.log(`pixel board on ${server.url} (${config.board.width}×${config.board.height}, ${stores})`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  stopSnapshots();
  await tracker.stop();
  if (signal === 'SIGTERM') await sockets.drain();
  await sockets.close();
  await invoke?.close();
  await server.close();
  writers?.close();
  await services.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
