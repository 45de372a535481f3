// The runner's and socket servers' backend: pino for logs (JSON lines, fast), prom-client for
// metrics, served as Prometheus text on /metrics. Node's default metrics (event-loop lag, heap,
// CPU) come along.
import { pino } from 'pino';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { METRICS, type Labels, type MetricName, type Telemetry } from './telemetry.ts';

export interface NodeTelemetry extends Telemetry {
  registry: Registry;
}

export function nodeTelemetry(options: { level: string; name: string; registry?: Registry }): NodeTelemetry {
  const registry = options.registry ?? new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const logger = pino({ name: options.name, level: options.level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
  const counters = new Map<MetricName, Counter>();
  const histograms = new Map<MetricName, Histogram>();
  const counter = (name: MetricName) => {
    let c = counters.get(name);
    if (!c) {
      c = new Counter({ name: `pixel_${name}_total`, help: METRICS[name].help, labelNames: [...METRICS[name].labels], registers: [registry] });
      counters.set(name, c);
    }
    return c;
  };
  const histogram = (name: MetricName) => {
    let h = histograms.get(name);
    if (!h) {
      // Milliseconds in, seconds out: Prometheus' base unit.
      h = new Histogram({ name: `pixel_${name}_seconds`, help: METRICS[name].help, labelNames: [...METRICS[name].labels], registers: [registry], buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300] });
      histograms.set(name, h);
    }
    return h;
  };
  const fields = (f?: Record<string, unknown>) => f ?? {};
  return {
    registry,
    log: {
      debug: (m, f) => logger.debug(fields(f), m),
      info: (m, f) => logger.info(fields(f), m),
      warn: (m, f) => logger.warn(fields(f), m),
      error: (m, f) => logger.error(fields(f), m),
    },
    metrics: {
      count: (name, labels: Labels = {}, value = 1) => counter(name).inc(labels, value),
      observe: (name, value, labels: Labels = {}) => histogram(name).observe(labels, METRICS[name].unit === 'Milliseconds' ? value / 1000 : value),
    },
  };
}
