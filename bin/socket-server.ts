// The standalone socket server (the ECS service in AWS; `npm run start:cluster` runs several):
// WebSocket at /ws and /healthz on PORT, fed by Redis, placing pixels through write-pixel.
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ConfigError } from '../core/config.ts';
import { processConfig } from '../core/process-config.ts';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { RedisPresence } from '../core/presence/redis-presence.ts';
import { LambdaPixelPlacer } from '../socket-server/pixel-placer.ts';
import { SocketServer } from '../socket-server/socket-server.ts';
import { startConnectionMetric } from '../socket-server/connection-metric.ts';
import { hardenHttpServer } from '../core/http/harden-server.ts';

const config = await processConfig((c) => {
  if (!c.redis) throw new ConfigError('REDIS_URL', 'is required for a standalone socket server');
});
const redisConfig = config.redis!;
const store = await RedisBoardStore.connect({
  redis: redisConfig, size: config.board, rules: config.cooldown, sessionsPerIpPerHour: config.sessionsPerIpPerHour,
  updatesKept: config.updatesKept,
});
const presence = await RedisPresence.connect(redisConfig, 3 * config.socket.onlineIntervalMs);
const placer = LambdaPixelPlacer.create(config.writePixelFunction, config.lambdaEndpoint);
const sockets = new SocketServer({ config, store, presence, placer });
await sockets.start();
const stopMetric = config.socket.metricsNamespace
  ? startConnectionMetric(config.socket.metricsNamespace, config.socket.serviceName, () => sockets.connections)
  : () => {};

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const server = http.createServer((req, res) => {
  if (req.url === '/metrics') {
    // For operators and the fan-out benchmark; the event-loop histogram restarts at each read.
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      connections: sockets.connections, lastSeq: sockets.lastSeq, rssBytes: process.memoryUsage().rss, ...sockets.stats,
      eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
    }));
    loopDelay.reset();
    return;
  }
  if (req.url === '/healthz') {
    store.ping().then(
      () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ status: 'ok', connections: sockets.connections })); },
      () => { res.writeHead(503, { 'content-type': 'application/json' }); res.end(JSON.stringify({ error: 'unavailable', message: 'Redis does not answer.' })); },
    );
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'not_found', message: 'The socket server serves /ws and /healthz.' }));
});
hardenHttpServer(server);
sockets.attach(server);
server.listen(config.port, config.host, () => console.log(`socket server ${sockets.serverId} on ws://${config.host}:${config.port}/ws`));

let stopping = false;
process.on('SIGTERM', () => void shutdown('SIGTERM', true));
process.on('SIGINT', () => void shutdown('SIGINT', false));

async function shutdown(signal: string, drain: boolean): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: ${drain ? `draining over ${config.socket.drainMs} ms` : 'stopping'}`);
  stopMetric();
  if (drain) await sockets.drain();
  server.close();
  await sockets.close();
  placer.destroy();
  await presence.close();
  await store.close();
  process.exit(0);
}
