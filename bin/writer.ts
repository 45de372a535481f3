// The writer service (ECS Fargate in AWS, behind the ALB's POST /api/pixels): the write-pixel
// handler in a long-lived process. A Lambda serves one request at a time, so each write is its own
// Redis script call; here the writes that arrive within REDIS_WRITE_BATCH_MS share one, which is
// what takes a loaded Redis from 30–35 µs a write to about 16–20 (docs/PERFORMANCE.md, "Redis cost per write").
// Also GET /healthz: the process serves (the ALB's and ECS's check; a store outage is answered
// 503 per request and would not be mended by replacing the task). Logs and metrics go through Powertools, as the
// functions' do, under the same service name, so the alarms on placements see these writes too.
import http from 'node:http';
import { ConfigError } from '../core/config.ts';
import { processConfig } from '../core/process-config.ts';
import { createServices } from '../core/service/services.ts';
import { parseRequestTarget } from '../core/http/request-target.ts';
import { hardenHttpServer } from '../core/http/harden-server.ts';
import { log, reportFailure, useTelemetry } from '../core/observability/telemetry.ts';
import { lambdaTelemetry } from '../lambdas/http/lambda-telemetry.ts';
import { sendAlbResult, serveApi } from '../lambdas/http/alb-gateway.ts';
import { errorResponse, json } from '../lambdas/http/responses.ts';
import { provideServices, sessionSecret } from '../lambdas/runtime.ts';
import { handler as writePixel } from '../lambdas/write-pixel.ts';

/** How often counted metrics are written out (a function writes them at the end of each invocation). */
const METRICS_FLUSH_MS = 10_000;
/** How long a stop waits for the requests in flight before cutting them. */
const STOP_GRACE_MS = 10_000;

const config = await processConfig((c) => {
  if (!c.redis) throw new ConfigError('REDIS_URL', 'is required for the writer service');
  // Without it each writer would keep its own file log, which no rebuild reads.
  if (!c.cassandra) throw new ConfigError('CASSANDRA_CONTACT_POINTS', 'is required for the writer service');
  // Tokens are signed by create-session (a function): a writer with a key of its own would refuse them all.
  if (!c.sessionSecret && !c.sessionSecretArn) throw new ConfigError('SESSION_SECRET', 'or SESSION_SECRET_ARN is required for the writer service');
});
const telemetry = lambdaTelemetry({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'pixel-board', level: config.logLevel });
// No per-request context: requests run concurrently here, and the logger's keys are per process.
useTelemetry({ log: telemetry.log, metrics: telemetry.metrics });
const flush = setInterval(() => telemetry.endInvocation?.(), METRICS_FLUSH_MS);

const services = await createServices(config, { secret: sessionSecret, ensureBoardAtStart: false });
provideServices(services);
const HANDLERS = { 'write-pixel': writePixel };

/** Answers not yet sent: a stop marks them to close their connections. */
const unanswered = new Set<http.ServerResponse>();
/**
 * Stopping: the kept-alive connections requests still come on (socket servers keep theirs) close
 * after their answers, so the next requests go to the other writers.
 */
const closeAfterAnswer = (res: http.ServerResponse) => { if (!res.headersSent) res.setHeader('connection', 'close'); };

const server = http.createServer((req, res) => {
  if (stopping) closeAfterAnswer(res);
  unanswered.add(res);
  res.once('close', () => unanswered.delete(res));
  const target = parseRequestTarget(req.url);
  if (!target) return sendAlbResult(res, errorResponse(400, 'invalid_request', 'The request target is not a valid path.'));
  if (target.path === '/healthz' && req.method === 'GET') return sendAlbResult(res, json(200, { status: stopping ? 'stopping' : 'ok' }));
  serveApi(req, res, target, HANDLERS).catch((err: unknown) => {
    reportFailure('writer-request', err);
    if (!res.headersSent) sendAlbResult(res, errorResponse(500, 'internal', 'Something went wrong on our side.'));
    else res.destroy();
  });
});
// Longer than the ALB's idle timeout, so the ALB, not this server, closes idle connections.
server.keepAliveTimeout = 125_000;
hardenHttpServer(server);
server.listen(config.port, config.host, config.socket.listenBacklog, () => {
  log.info('writer listening', { url: `http://${config.host}:${config.port}`, batchMs: config.redis!.writeBatchMs, batchMax: config.redis!.writeBatchMax });
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  unanswered.forEach(closeAfterAnswer);
  // ECS stops sending new requests (the target is deregistered) before SIGTERM; any still in
  // flight are answered, then the store's last batched calls and confirmations drain in close().
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
  await closed;
  clearTimeout(cut);
  let code = 0;
  try {
    await services.close();
  } catch (err) {
    reportFailure('writer-stop', err);
    code = 1;
  }
  clearInterval(flush);
  telemetry.endInvocation?.();
  process.exit(code);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
