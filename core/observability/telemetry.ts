// Logs and metrics for code that runs everywhere (handlers, socket servers, commands): one
// small API here, and the process picks the backend once at start: Powertools for AWS Lambda
// (structured logs with the request id, metrics as EMF) in Lambda, pino and prom-client in the
// runner and socket servers. Until a process picks one, JSON lines go to the console.

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

/** The service's metrics, with their units and help text (CloudWatch and Prometheus take them from here). */
export const METRICS = {
  placements: { kind: 'counter', unit: 'Count', help: 'Pixels placed (acknowledged writes)', labels: [] },
  rejections: { kind: 'counter', unit: 'Count', help: 'Writes refused, by reason', labels: ['reason'] },
  unavailable: { kind: 'counter', unit: 'Count', help: 'Requests answered 503, by the store that failed', labels: ['store'] },
  rebuilds: { kind: 'counter', unit: 'Count', help: 'Board rebuilds run', labels: ['outcome'] },
  rebuild_duration: { kind: 'histogram', unit: 'Milliseconds', help: 'How long a board rebuild took', labels: [] },
  failures: { kind: 'counter', unit: 'Count', help: 'Failures with no caller to report to, by what failed', labels: ['what'] },
  defence_raised: { kind: 'counter', unit: 'Count', help: 'The adaptive defence level was raised (an alert), by the level reached', labels: ['level'] },
  challenges: { kind: 'counter', unit: 'Count', help: 'Proof-of-work challenges, by outcome (issued, solved, failed)', labels: ['outcome'] },
  events: { kind: 'counter', unit: 'Count', help: 'Notable events (odd requests, damaged data, socket errors), by name', labels: ['name'] },
} as const;

export type MetricName = keyof typeof METRICS;
export type Labels = Record<string, string>;

export interface Metrics {
  count(name: MetricName, labels?: Labels, value?: number): void;
  /** A duration or size: `value` in the metric's unit. */
  observe(name: MetricName, value: number, labels?: Labels): void;
}

export interface Telemetry {
  log: Logger;
  metrics: Metrics;
  /** A Lambda invocation starts (its request id goes into every log line until it ends). */
  startInvocation?(context: { awsRequestId: string; functionName?: string }): void;
  /** The invocation ends: metrics are flushed. */
  endInvocation?(): void;
}

function consoleTelemetry(): Telemetry {
  const line = (level: string) => (message: string, fields?: Fields) => {
    const out = JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields });
    (level === 'error' || level === 'warn' ? console.error : console.log)(out);
  };
  return {
    log: { debug: () => {}, info: line('info'), warn: line('warn'), error: line('error') },
    metrics: { count: () => {}, observe: () => {} },
  };
}

let current: Telemetry = consoleTelemetry();

/** Chooses the backend for this process (once, at start). */
export function useTelemetry(telemetry: Telemetry): void {
  current = telemetry;
}

export function telemetry(): Telemetry {
  return current;
}

export const log: Logger = {
  debug: (m, f) => current.log.debug(m, f),
  info: (m, f) => current.log.info(m, f),
  warn: (m, f) => current.log.warn(m, f),
  error: (m, f) => current.log.error(m, f),
};

export const metrics: Metrics = {
  count: (name, labels, value) => current.metrics.count(name, labels, value),
  observe: (name, value, labels) => current.metrics.observe(name, value, labels),
};

/** An error as log fields: name, message and its chain of causes. */
export function describeError(err: unknown): Fields {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: Fields = { name: err.name, message: err.message };
  if (err.cause !== undefined) out.cause = describeError(err.cause);
  return out;
}

/** Something notable that is not a failure of ours (a hostile request, a reset socket): counted. */
export function countEvent(name: string): void {
  current.metrics.count('events', { name });
}

/** A failure nobody waits on (a background drain, a confirmation): logged and counted, never swallowed. */
export function reportFailure(what: string, err: unknown): void {
  current.metrics.count('failures', { what });
  current.log.error(`${what} failed`, { what, error: describeError(err) });
}
