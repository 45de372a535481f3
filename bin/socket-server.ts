// The standalone socket server (the ECS service in AWS; `npm run start:cluster` runs several):
// WebSocket at /ws, /healthz and /metrics on PORT, fed by Redis, placing pixels through the
// writers (WRITER_URLS; the writer service in AWS) or else the write-pixel function.
import http from 'node:http';
import { ConfigError } from '../core/config.ts';
import { processConfig } from '../core/process-config.ts';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { createBoardObjects } from '../core/service/services.ts';
import { RedisPresence } from '../core/presence/redis-presence.ts';
import { hardenHttpServer } from '../core/http/harden-server.ts';
import { log, useTelemetry } from '../core/observability/telemetry.ts';
import { nodeTelemetry } from '../core/observability/node-telemetry.ts';
import { LambdaPixelPlacer, WriterPixelPlacer } from '../socket-server/pixel-placer.ts';
import { WriterPool } from '../core/http/writer-pool.ts';
import { SocketServer } from '../socket-server/socket-server.ts';
import { publishConnections, registerSocketMetrics } from '../socket-server/socket-metrics.ts';
import { socketHttpEndpoints } from '../socket-server/http-endpoints.ts';
import { watchTaskStop } from '../socket-server/task-stop-watch.ts';
import { RedisCommunityStore } from '../core/community/redis-community-store.ts';
import { startTemplateTracker } from '../core/community/template-tracker.ts';

const config = await processConfig((c) => {
  if (!c.redis) throw new ConfigError('REDIS_URL', 'is required for a standalone socket server');
});
const telemetry = nodeTelemetry({ level: config.logLevel, name: 'socket-server' });
useTelemetry(telemetry);
const redisConfig = config.redis!;
const store = await RedisBoardStore.connect({
  redis: redisConfig, size: config.board, rules: config.cooldown, sessionsPerIpPerHour: config.sessionsPerIpPerHour,
  updatesKept: config.updatesKept, feedMode: config.socket.feedMode,
});
const presence = await RedisPresence.connect(redisConfig, 3 * config.socket.onlineIntervalMs);
const placer = config.writerUrls.length
  ? new WriterPixelPlacer(new WriterPool(config.writerUrls))
  : LambdaPixelPlacer.create(config.writePixelFunction, config.lambdaEndpoint);
const community = new RedisCommunityStore(store.connection, redisConfig);
const sockets = new SocketServer({
  config, store, presence, placer, relay: config.socket.feedMode === 'relay' ? store : undefined,
  publish: { objects: createBoardObjects(config), store }, templateEvents: community,
});
await sockets.start();
// Template progress: every socket server runs a tracker; the one holding the lease tracks.
const tracker = startTemplateTracker(config, store, community);
registerSocketMetrics(telemetry.registry, sockets);
const stopConnections = config.socket.metricsNamespace
  ? publishConnections(config.socket.metricsNamespace, config.socket.serviceName, () => sockets.connections)
  : () => {};

const server = http.createServer(socketHttpEndpoints({ store, registry: telemetry.registry, connections: () => sockets.connections }));
hardenHttpServer(server);
sockets.attach(server);
server.listen(config.port, config.host, config.socket.listenBacklog, () => log.info('socket server listening', { serverId: sockets.serverId, url: `ws://${config.host}:${config.port}/ws` }));

// On ECS: drain as soon as the task is being stopped, while the load balancer still carries the
// sockets (it cuts them when its deregistration delay ends; SIGTERM only comes after that).
const taskStop = config.socket.taskMetadataUrl && config.socket.stopPollMs > 0
  ? watchTaskStop({ metadataUrl: config.socket.taskMetadataUrl, everyMs: config.socket.stopPollMs, onStopping: () => void sockets.drain() })
  : null;

let stopping = false;
process.on('SIGTERM', () => void shutdown('SIGTERM', true));
process.on('SIGINT', () => void shutdown('SIGINT', false));

async function shutdown(signal: string, drain: boolean): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info(drain ? 'draining' : 'stopping', { signal, drainMs: config.socket.drainMs });
  stopConnections();
  taskStop?.stop();
  // A drain the task's stop already started is awaited, not restarted.
  if (drain) await sockets.drain();
  await tracker.stop();
  server.close();
  await sockets.close();
  placer.destroy();
  await presence.close();
  await store.close();
  process.exit(0);
}
