// The Lambda functions' backend: Powertools for AWS Lambda. Logs are JSON with the request id
// (function_request_id); metrics are Embedded Metric Format lines that CloudWatch turns into
// metrics, flushed at the end of every invocation (the writer service: every 10 s). Powertools
// adds a `service` dimension (POWERTOOLS_SERVICE_NAME) to every metric. Metrics with labels (a
// dimension each) are summed per name and labels until the flush: written one by one, a writer
// refusing thousands of writes a second under a flood wrote as many log lines, each one billed.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { METRICS, type MetricName, type Telemetry } from '../../core/observability/telemetry.ts';

export const METRICS_NAMESPACE = 'PixelBoard';

/** CloudWatch metric names: PascalCase of ours (rebuild_duration → RebuildDuration). */
export function cloudWatchName(name: MetricName): string {
  return name.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

export function lambdaTelemetry(options: { serviceName: string; level: string }): Telemetry {
  const logger = new Logger({ serviceName: options.serviceName, logLevel: options.level.toUpperCase() as 'INFO' });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: options.serviceName });
  let stored = false;
  // Per metric name and labels: a count's sum, or an observation's values.
  const labelled = new Map<string, { name: MetricName; labels: Record<string, string>; values: number[] }>();
  const unitOf = (name: MetricName) => (METRICS[name].unit === 'Milliseconds' ? MetricUnit.Milliseconds : MetricUnit.Count);
  const add = (name: MetricName, value: number, labels: Record<string, string> = {}, sum = false) => {
    if (Object.keys(labels).length === 0) {
      metrics.addMetric(cloudWatchName(name), unitOf(name), value);
      stored = true;
      return;
    }
    const key = JSON.stringify([name, labels]);
    const entry = labelled.get(key);
    if (!entry) labelled.set(key, { name, labels, values: [value] });
    else if (sum) entry.values[0]! += value;
    else entry.values.push(value);
  };
  const flush = () => {
    for (const { name, labels, values } of labelled.values()) {
      // One line for its dimensions and all its values (a singleMetric writes a line per value).
      const line = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: options.serviceName });
      for (const [k, v] of Object.entries(labels)) line.addDimension(k, v);
      for (const v of values) line.addMetric(cloudWatchName(name), unitOf(name), v);
      line.publishStoredMetrics();
    }
    labelled.clear();
    if (stored) metrics.publishStoredMetrics();
    stored = false;
  };
  return {
    log: {
      debug: (m, f) => logger.debug(m, f ?? {}),
      info: (m, f) => logger.info(m, f ?? {}),
      warn: (m, f) => logger.warn(m, f ?? {}),
      error: (m, f) => logger.error(m, f ?? {}),
    },
    metrics: {
      count: (name, labels, value = 1) => add(name, value, labels, true),
      observe: (name, value, labels) => add(name, value, labels),
    },
    startInvocation: (context) => logger.addContext(context as Context),
    endInvocation: () => {
      flush();
      logger.resetKeys();
    },
  };
}
