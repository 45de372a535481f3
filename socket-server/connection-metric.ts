// Publishes the socket server's connection count to CloudWatch as an Embedded Metric Format
// log line (stdout → awslogs → a metric, no API calls), for autoscaling on connections per task.
export const CONNECTIONS_METRIC = 'Connections';

export function emfConnectionsLine(namespace: string, service: string, connections: number, now = Date.now()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [['ServiceName']], Metrics: [{ Name: CONNECTIONS_METRIC, Unit: 'Count' }] }],
    },
    ServiceName: service,
    [CONNECTIONS_METRIC]: connections,
  });
}

export function startConnectionMetric(namespace: string, service: string, count: () => number, everyMs = 60_000): () => void {
  const timer = setInterval(() => console.log(emfConnectionsLine(namespace, service, count())), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
