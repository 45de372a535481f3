// The socket server's metrics. Prometheus text on /metrics (prom-client): the server keeps
// plain counters on its hot path and they are read here at scrape time. For ECS autoscaling,
// the connection count also goes to CloudWatch every minute as EMF through Powertools Metrics.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SocketServer } from './socket-server.ts';

export const CONNECTIONS_METRIC = 'Connections';

/** Counters that only grow, read from the server's stats when Prometheus scrapes. */
function counterOf(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name, help, registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

export function registerSocketMetrics(registry: Registry, server: SocketServer): void {
  new Gauge({ name: 'pixel_socket_connections', help: 'Open WebSocket connections', registers: [registry], collect() { this.set(server.connections); } });
  new Gauge({ name: 'pixel_socket_relay_leader', help: '1 while this server relays the update feed', registers: [registry], collect() { this.set(server.relay?.leading ? 1 : 0); } });
  counterOf(registry, 'pixel_socket_relay_batches_total', 'Batches this server published as the relay', () => server.relay?.stats.batches ?? 0);
  new Gauge({ name: 'pixel_socket_last_seq', help: 'The last seq this server has sent', registers: [registry], collect() { this.set(server.lastSeq); } });
  const s = server.stats;
  counterOf(registry, 'pixel_socket_frames_sent_total', 'Broadcast messages (pixel frames, online counts, resyncs, resets), each written to every client', () => s.framesSent);
  counterOf(registry, 'pixel_socket_bytes_sent_total', 'Bytes of broadcast frames written to sockets (frame size × clients)', () => s.bytesSent);
  counterOf(registry, 'pixel_socket_gap_repairs_total', 'Gaps in the feed repaired from the store', () => server.gapRepairs);
  counterOf(registry, 'pixel_socket_resyncs_total', 'resync messages sent (updates lost for good)', () => s.resyncs);
  counterOf(registry, 'pixel_socket_resizes_total', 'resize messages sent (the board grew)', () => s.resizes);
  counterOf(registry, 'pixel_socket_digests_sent_total', 'Board digests broadcast (one per SOCKET_DIGEST_MS while the mirror is loaded)', () => s.digestsSent);
  counterOf(registry, 'pixel_socket_client_mismatches_total', 'Clients reporting a copy that differed from a digest (each repaired the tiles that differed)', () => s.clientMismatches);
  counterOf(registry, 'pixel_socket_client_mismatched_tiles_total', 'Tiles clients found differing from a digest', () => s.mismatchedTiles);
  counterOf(registry, 'pixel_socket_client_mismatched_pixels_total', 'Pixels clients repaired after a digest mismatch', () => s.mismatchedPixels);
  counterOf(registry, 'pixel_socket_resets_total', 'reset messages sent (the board was restored)', () => s.resets);
  counterOf(registry, 'pixel_socket_slow_consumers_closed_total', 'Clients closed because their send buffer passed the cap (4001)', () => s.slowConsumersClosed);
  counterOf(registry, 'pixel_socket_upgrades_refused_total', 'WebSocket upgrades refused (bad target, wrong path, per-IP cap, draining)', () => s.upgradesRefused);
  counterOf(registry, 'pixel_socket_errors_total', 'Socket errors (client resets and the like)', () => s.socketErrors);
  const ticks = new Histogram({
    name: 'pixel_socket_tick_duration_seconds', help: 'How long one broadcast tick took (building and writing the frame)', registers: [registry],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  });
  server.onTick = (seconds) => ticks.observe(seconds);
}

/** Every `everyMs`, the connection count as EMF (dimension `service` = the ECS service name), for target tracking. */
export function publishConnections(namespace: string, serviceName: string, count: () => number, everyMs = 60_000): () => void {
  const metrics = new Metrics({ namespace, serviceName });
  const timer = setInterval(() => {
    metrics.addMetric(CONNECTIONS_METRIC, MetricUnit.Count, count());
    metrics.publishStoredMetrics();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
