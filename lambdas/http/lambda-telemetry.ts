// The Lambda functions' backend: Powertools for AWS Lambda. Logs are JSON with the request id
// (function_request_id); metrics are Embedded Metric Format lines that CloudWatch turns into
// metrics, flushed at the end of every invocation (the writer service: every 10 s). Powertools
// adds a `service` dimension (POWERTOOLS_SERVICE_NAME) to every metric. Counts are summed per name
// and labels until the flush: written as they came, a writer placing or refusing thousands of
// writes a second wrote a log line per refusal and per 100 placements, each one billed.
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
  // Per metric name and labels: a count's sum, or an observation's values, until the flush.
  const pending = new Map<string, { name: MetricName; labels: Record<string, string>; values: number[] }>();
  const unitOf = (name: MetricName) => (METRICS[name].unit === 'Milliseconds' ? MetricUnit.Milliseconds : MetricUnit.Count);
  const add = (name: MetricName, value: number, labels: Record<string, string> = {}, sum = false) => {
    // Most counts (a placement per write) have no labels: their name is their key.
    const key = Object.keys(labels).length === 0 ? name : JSON.stringify([name, labels]);
    const entry = pending.get(key);
    if (!entry) pending.set(key, { name, labels, values: [value] });
    else if (sum) entry.values[0]! += value;
    else entry.values.push(value);
  };
  const flush = () => {
    for (const { name, labels, values } of pending.values()) {
      const dimensions = Object.entries(labels);
      // Unlabelled metrics share one line; a labelled one has a line of its own, for its dimensions.
      const line = dimensions.length === 0 ? metrics : new Metrics({ namespace: METRICS_NAMESPACE, serviceName: options.serviceName });
      for (const [k, v] of dimensions) line.addDimension(k, v);
      for (const v of values) line.addMetric(cloudWatchName(name), unitOf(name), v);
      // Powertools writes a line itself once a metric holds 100 values: publish only what is left.
      if (line !== metrics && line.hasStoredMetrics()) line.publishStoredMetrics();
    }
    pending.clear();
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
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
