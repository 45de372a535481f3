// The Lambda functions' backend: Powertools for AWS Lambda. Logs are JSON with the request id
// (function_request_id); metrics are Embedded Metric Format lines that CloudWatch turns into
// metrics, flushed at the end of every invocation. Powertools adds a `service` dimension
// (POWERTOOLS_SERVICE_NAME) to every metric.
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
  const add = (name: MetricName, value: number, labels: Record<string, string> = {}) => {
    const unit = METRICS[name].unit === 'Milliseconds' ? MetricUnit.Milliseconds : MetricUnit.Count;
    if (Object.keys(labels).length === 0) {
      metrics.addMetric(cloudWatchName(name), unit, value);
      stored = true;
      return;
    }
    const single = metrics.singleMetric(); // its own dimensions; written at once
    for (const [k, v] of Object.entries(labels)) single.addDimension(k, v);
    single.addMetric(cloudWatchName(name), unit, value);
  };
  return {
    log: {
      debug: (m, f) => logger.debug(m, f ?? {}),
      info: (m, f) => logger.info(m, f ?? {}),
      warn: (m, f) => logger.warn(m, f ?? {}),
      error: (m, f) => logger.error(m, f ?? {}),
    },
    metrics: {
      count: (name, labels, value = 1) => add(name, value, labels),
      observe: (name, value, labels) => add(name, value, labels),
    },
    startInvocation: (context) => logger.addContext(context as Context),
    endInvocation: () => {
      if (stored) metrics.publishStoredMetrics();
      stored = false;
      logger.resetKeys();
    },
  };
}
