// The monthly cost model behind docs/DEPLOY.md's table (`npm run cost` prints it). Three kinds of
// input, kept apart: dated list prices (PRICES, each marked confirmed or not), per-unit figures the
// benchmarks measured (MEASURED, docs/PERFORMANCE.md) and what we assume about usage (ASSUMED).
// The deployment's shape is the CDK app's settings (infra/settings.ts), the app's behaviour its
// config defaults (core/config.ts). Pure arithmetic: no I/O.
import type { Settings } from './settings.ts';
import { BATCH_HEADER_BYTES, PIXEL_RECORD_BYTES } from '../core/protocol/pixel-batch.ts';
import { boardByteLength } from '../core/domain/board-codec.ts';
import { ROUTES } from '../lambdas/routes.ts';
import { functionAlarmCount } from './function-alarms.ts';
import { MANAGED_RULE_GROUPS } from './edge-protection.ts';
import { WRITER_CPU_TARGET_PERCENT } from './writer-service.ts';

type Status = 'confirmed' | 'secondary' | 'unconfirmed';
export interface Price { usd: number; per: string; status: Status; source: string }

/**
 * USD list prices, us-east-1 unless said (most confirmed figures are for it; eu-west-1, the
 * default region, is dearer: Keyspaces writes +13 %). As of the research memo of 2026-11
 * (notes/issue9-aws-edge.md §11): "confirmed" = read from AWS Price List data, "secondary" = quoted
 * by third parties, "unconfirmed" = from memory, check the pricing page before relying on it.
 */
export const PRICES = {
  keyspacesWriteUnit: { usd: 0.625e-6, per: 'WRU (on demand, after the Nov 2024 cut)', status: 'confirmed', source: 'AWS Price List, published 2025-11-05' },
  keyspacesStorageGb: { usd: 0.25, per: 'GB-month', status: 'confirmed', source: 'AWS Price List, published 2025-11-05' },
  keyspacesPitrGb: { usd: 0.20, per: 'GB-month (point-in-time recovery)', status: 'confirmed', source: 'AWS Price List, published 2025-11-05' },
  cloudFrontRequest: { usd: 0.01 / 10_000, per: 'HTTPS request (US)', status: 'confirmed', source: 'AWS Price List, read 2026-09-06' },
  lambdaRequest: { usd: 0.2e-6, per: 'request (arm64)', status: 'confirmed', source: 'AWS Price List, read 2026-09-06' },
  lambdaGbSecond: { usd: 0.0000133334, per: 'GB-second (arm64, first 7.5 B)', status: 'confirmed', source: 'AWS Price List, read 2026-09-06' },
  natHour: { usd: 0.045, per: 'NAT gateway-hour', status: 'confirmed', source: 'AWS Price List, read 2026-09-06' },
  natGb: { usd: 0.045, per: 'GB through a NAT gateway', status: 'confirmed', source: 'AWS Price List, read 2026-09-06' },
  s3StorageGb: { usd: 0.023, per: 'GB-month (S3 Standard)', status: 'confirmed', source: 'AWS Price List, read 2026-09-06' },
  s3Put: { usd: 0.005 / 1000, per: 'PUT request (S3 Standard)', status: 'confirmed', source: 'AWS Price List, read 2026-09-06' },
  albHour: { usd: 0.0225, per: 'ALB-hour', status: 'secondary', source: 'price-list strings quoted in public repositories' },
  albLcuHour: { usd: 0.008, per: 'LCU-hour', status: 'secondary', source: 'price-list strings quoted in public repositories' },
  fargateVcpuHour: { usd: 0.03238, per: 'vCPU-hour (arm64)', status: 'secondary', source: 'price-list fixtures in two public repositories' },
  fargateGbHour: { usd: 0.00356, per: 'GB-hour (arm64)', status: 'secondary', source: 'price-list fixtures in two public repositories' },
  endpointHour: { usd: 0.01, per: 'interface endpoint-AZ-hour', status: 'secondary', source: 'third-party cost notes' },
  endpointGb: { usd: 0.01, per: 'GB through an interface endpoint', status: 'secondary', source: 'third-party cost notes' },
  wafAcl: { usd: 5, per: 'web ACL-month', status: 'secondary', source: 'a note that read the WAF pricing page on 2026-08-29' },
  wafRule: { usd: 1, per: 'rule or rule group-month', status: 'secondary', source: 'a note that read the WAF pricing page on 2026-08-29' },
  wafRequest: { usd: 0.6e-6, per: 'request inspected', status: 'secondary', source: 'a note that read the WAF pricing page on 2026-08-29' },
  canaryRun: { usd: 0.0012, per: 'canary run', status: 'secondary', source: 'third-party cost notes' },
  cacheNodeHour: { usd: 0.219 * 0.8, per: 'cache.r7g.large node-hour (Valkey: Redis OSS $0.219 less 20 %)', status: 'unconfirmed', source: 'from memory' },
  alarm: { usd: 0.10, per: 'alarm-month (standard)', status: 'unconfirmed', source: 'from memory' },
  customMetric: { usd: 0.30, per: 'custom metric-month', status: 'unconfirmed', source: 'from memory' },
  logsIngestGb: { usd: 0.50, per: 'GB of logs ingested', status: 'unconfirmed', source: 'from memory' },
  dashboard: { usd: 3, per: 'dashboard-month', status: 'unconfirmed', source: 'from memory' },
  secret: { usd: 0.40, per: 'secret-month', status: 'unconfirmed', source: 'from memory' },
} satisfies Record<string, Price>;

/** ElastiCache on-demand node-hour by type for Valkey, which the deploy runs: Redis OSS prices (unconfirmed, us-east-1) less 20 %. */
export const CACHE_NODE_HOUR: Record<string, number> = Object.fromEntries(
  Object.entries({ 'cache.t4g.small': 0.032, 'cache.t4g.medium': 0.065, 'cache.r7g.large': 0.219, 'cache.r7g.xlarge': 0.437 }).map(([type, redisOss]) => [type, redisOss * 0.8]));

/** CloudFront data transfer out, US/Europe, per GB by monthly volume (confirmed for the US, 2026-09-06). */
export const CLOUDFRONT_TIERS: readonly { uptoTb: number; usdPerGb: number }[] = [
  { uptoTb: 10, usdPerGb: 0.085 }, { uptoTb: 50, usdPerGb: 0.080 }, { uptoTb: 150, usdPerGb: 0.060 },
  { uptoTb: 500, usdPerGb: 0.040 }, { uptoTb: 1024, usdPerGb: 0.030 }, { uptoTb: 5120, usdPerGb: 0.025 }, { uptoTb: Infinity, usdPerGb: 0.020 },
];

/** What the benchmarks measured (docs/PERFORMANCE.md, runs of 2026-11-22) and the protocol fixes. */
export const MEASURED = {
  /** Fan-out: one 1-vCPU socket-server process carries 5,000–8,000 clients at 1,000 px/s. */
  clientsPerVcpu: { low: 5000, high: 8000 },
  /** Fan-out: server memory per idle client, 4.9–8.9 KB: a 2 GB task holds far more than its CPU carries. */
  rssPerClientKb: 9,
  /**
   * Redis CPU per write, the most bench:feed measured for the page's writes (batched on two
   * writer processes, subscribers on the replica) at 2,000 writes/s, about r/place 2022's peak:
   * 74–89 µs (a mostly idle Redis pays more a write than a loaded one: 20–24 µs at 20,000/s).
   */
  redisCpuMsPerWrite: 0.089,
  /** A socket frame: a 7-byte header and 5 bytes a pixel (core/protocol/pixel-batch.ts). */
  frameHeaderBytes: BATCH_HEADER_BYTES,
  pixelBytes: PIXEL_RECORD_BYTES,
};

/** Usage and sizing assumptions (per monthly user unless said). Change them here, not in the table. */
export const ASSUMED = {
  pixelsPerUser: 100,
  pageLoadsPerUser: 20,
  socketHoursPerUser: 10,
  /** Busiest hour's sockets over the month's average. */
  peakFactor: 3,
  /** The board gzipped, as the page downloads it (500 KB raw for 1000×1000; a busy board compresses less). */
  boardGzipRatio: 0.3,
  /** index.html, app.js and app.css, compressed. */
  pageBytes: 10_000,
  /**
   * CPU a writer task spends on a write (HTTP, the handler, the Redis and Keyspaces clients with TLS
   * and SigV4). Not measured: the local runner with embedded stores does 8,700–9,200 writes/s on
   * 2 shared cores (≤ 0.23 ms of CPU a write, docs/PERFORMANCE.md), without those clients.
   */
  writerCpuMsPerWrite: 1,
  /** Billed Lambda time at 1,024 MB: a board fetch, anything else. */
  boardBilledMs: 30,
  otherBilledMs: 10,
  /** A scheduled snapshot: read the board from Redis, gzip it, one S3 PUT (not measured here). */
  snapshotBilledMs: 500,
  /** Published boards (BOARD_PUBLISH_MS, BOARD_PNG_PUBLISH_MS defaults): a PUT a second while the board changes, a PNG every 10 s; kept a day. */
  publishEverySeconds: 1,
  publishPngEverySeconds: 10,
  /** CloudFront regional edge caches asking the origin for /api/board at most once a second each. */
  boardCachingEdges: 13,
  socketReconnectsPerHour: 1,
  /** Each socket message's framing: the WebSocket header (2–4 bytes) and a TLS record (~22 bytes). */
  messageOverheadBytes: 26,
  /** Keyspaces: rows per placement (one batch: pixels, pixel_history, user_placements) and a history row's stored size. */
  keyspacesRowsPerPixel: 3,
  historyRowBytes: 200,
  /** Log bytes a Lambda invocation writes (START/END/REPORT, EMF) and a socket-hour's VPC flow-log bytes. */
  lambdaLogBytes: 700,
  /** A writer's metrics every 10 s: a line without labels and one per name and labels counted (about 5, 400 bytes each). */
  writerFlushBytes: 2000,
  flowLogBytesPerSocketHour: 1500,
  /** CloudFront standard log line, kept for the log retention (30 days). */
  accessLogBytes: 500,
  natGbPerMonth: 10,
  customMetrics: 20,
};

/** What the page and socket servers do, from the app's config (core/config.ts) and the page's sync library. */
export interface AppBehaviour {
  board: { width: number; height: number };
  tickMs: number;
  onlineIntervalMs: number;
  /** Every open page re-downloads the board this often as a safety check (web/sync/board-sync.ts, 180 s). */
  checkIntervalMs: number;
}

export interface Scenario {
  name: string;
  hours: number;
  /** People who took part (monthly users, or the event's participants). */
  users: number;
  pixels: number;
  pageLoads: number;
  socketHours: number;
  peakPixelsPerSecond: number;
  peakConcurrent: number;
  deploy: Settings;
  /** Clients a task carries (the autoscaling target, or fewer when pixels come faster than the fan-out bench). */
  clientsPerTask: number;
}

const MONTH_HOURS = 730;
/** Alarms besides each function's errors and throttles (infra/operations.ts; a test keeps this true). */
export const ALARMS_BEYOND_FUNCTIONS = 18;

export function monthScenario(users: number, deploy: Settings, name = `${users.toLocaleString('en-US')} users`): Scenario {
  const pixels = users * ASSUMED.pixelsPerUser;
  const socketHours = users * ASSUMED.socketHoursPerUser;
  return {
    name, hours: MONTH_HOURS, users, pixels, pageLoads: users * ASSUMED.pageLoadsPerUser, socketHours,
    peakPixelsPerSecond: (pixels / (MONTH_HOURS * 3600)) * ASSUMED.peakFactor,
    peakConcurrent: (socketHours / MONTH_HOURS) * ASSUMED.peakFactor,
    deploy, clientsPerTask: deploy.connectionsPerTask,
  };
}

/**
 * r/place 2022's size: 10 M participants over 83 hours, 1,640 px/s at the peak. Assumed: the
 * average rate is a third of the peak (≈ 160 M placements, about what was reported), a tenth of
 * participants connected at the peak and a third of that on average, 5 page loads each; tasks carry
 * the fan-out bench's low figure (5,000), pixels coming faster than its 1,000 px/s.
 */
export function rplace2022Scenario(deploy: Settings): Scenario {
  const hours = 83;
  const users = 10_000_000;
  const peakPixelsPerSecond = 1640;
  const peakConcurrent = users / 10;
  return {
    name: 'r/place 2022 (83 h)', hours, users, pixels: (peakPixelsPerSecond / 3) * hours * 3600, pageLoads: users * 5,
    socketHours: (peakConcurrent / 3) * hours, peakPixelsPerSecond, peakConcurrent,
    deploy: { ...deploy, socketMaxTasks: Math.max(deploy.socketMaxTasks, Math.ceil(peakConcurrent / MEASURED.clientsPerVcpu.low)) },
    clientsPerTask: MEASURED.clientsPerVcpu.low,
  };
}

export interface LineItem { item: string; usd: number; note: string }
export interface Estimate { scenario: Scenario; items: LineItem[]; total: number; warnings: string[]; traffic: { cloudFrontTb: number; recheckTb: number; socketTb: number } }

const GB = 1024 ** 3;
const TB = 1024 * GB;

/** Tiered CloudFront data transfer for one month's bytes. */
export function cloudFrontTransferUsd(bytes: number): number {
  let left = bytes / GB;
  let floor = 0;
  let usd = 0;
  for (const tier of CLOUDFRONT_TIERS) {
    const inTier = Math.min(left, tier.uptoTb * 1024 - floor);
    usd += inTier * tier.usdPerGb;
    left -= inTier;
    floor = tier.uptoTb * 1024;
    if (left <= 0) break;
  }
  return usd;
}

/** Bytes a connected client receives per second at `pixelsPerSecond`: one frame per non-empty tick, plus the online count. */
export function socketBytesPerClientSecond(pixelsPerSecond: number, app: AppBehaviour): number {
  const ticksPerSecond = 1000 / app.tickMs;
  // Pixels arrive at random: a tick carries a frame unless none came in it.
  const framesPerSecond = ticksPerSecond * (1 - Math.exp(-pixelsPerSecond / ticksPerSecond));
  const frames = framesPerSecond * (MEASURED.frameHeaderBytes + ASSUMED.messageOverheadBytes) + pixelsPerSecond * MEASURED.pixelBytes;
  const online = (1000 / app.onlineIntervalMs) * (30 + ASSUMED.messageOverheadBytes);
  return frames + online;
}

export function estimate(s: Scenario, app: AppBehaviour): Estimate {
  const { deploy: d, hours } = s;
  const seconds = hours * 3600;
  const items: LineItem[] = [];
  const warnings: string[] = [];
  const add = (item: string, usd: number, note: string) => items.push({ item, usd, note });
  const share = hours / MONTH_HOURS; // monthly fees for the part of a month the scenario lasts

  // Traffic.
  const avgConcurrent = s.socketHours / hours;
  const avgPixelsPerSecond = s.pixels / seconds;
  const boardBytes = boardByteLength(app.board) * ASSUMED.boardGzipRatio;
  const rechecks = s.socketHours * (3600_000 / app.checkIntervalMs);
  const boardRequests = s.pageLoads + rechecks;
  const socketBytes = s.socketHours * 3600 * socketBytesPerClientSecond(avgPixelsPerSecond, app);
  const recheckBytes = rechecks * boardBytes;
  const cloudFrontBytes = s.pageLoads * (ASSUMED.pageBytes + boardBytes) + recheckBytes + socketBytes;
  const connects = s.pageLoads + s.socketHours * ASSUMED.socketReconnectsPerHour;
  const requests = s.pageLoads * 4 + rechecks + s.pixels + s.users + connects;
  // Each regional edge cache asks for the board at most once a second (1 s TTL).
  const boardRate = boardRequests / seconds;
  const originBoardFetches = (boardRate * ASSUMED.boardCachingEdges / (ASSUMED.boardCachingEdges + boardRate)) * seconds;

  // Fixed monthly shape.
  const azs = 2;
  add('NAT gateway', d.natGateways * hours * PRICES.natHour.usd + ASSUMED.natGbPerMonth * share * PRICES.natGb.usd, `${d.natGateways} × ${hours} h; image pulls and task logs`);
  add('Interface endpoints', 2 * azs * hours * PRICES.endpointHour.usd + (s.pixels * ASSUMED.keyspacesRowsPerPixel * 300) / GB * PRICES.endpointGb.usd, 'Keyspaces, Secrets Manager × 2 AZs');
  const rules = 2 + MANAGED_RULE_GROUPS.length;
  add('WAF', (PRICES.wafAcl.usd + rules * PRICES.wafRule.usd) * share + requests * PRICES.wafRequest.usd, `ACL + ${rules} rules; ${fmtCount(requests)} requests`);

  // ALB: hours, and capacity units on the largest dimension, hour by hour (load taken as even).
  const lambdaBytesPerHour = (originBoardFetches * boardBytes * 4 / 3) / hours; // base64 board
  // Sockets and small JSON writes to the writer tasks: 1 GB an hour per LCU (IP targets); Lambda targets 0.4 GB.
  const taskBytesPerHour = (socketBytes + s.pixels * 1500) / hours;
  const dimensions: [string, number][] = [
    ['new connections', connects / seconds / 25],
    ['open sockets', avgConcurrent / 3000],
    ['bytes: sockets and writes, and board fetches to Lambda', taskBytesPerHour / GB / 1 + lambdaBytesPerHour / GB / 0.4],
    ['rule evaluations', (requests / seconds) * Math.max(0, ROUTES.length + 1 - 10) / 1000],
  ];
  const [dimension, lcu] = dimensions.reduce((a, b) => (b[1] > a[1] ? b : a));
  add('Load balancer', hours * PRICES.albHour.usd + lcu * hours * PRICES.albLcuHour.usd, `${lcu.toFixed(lcu < 10 ? 1 : 0)} LCU on average (${dimension})`);

  // ElastiCache.
  const nodes = 1 + d.redisReplicas;
  const nodeHour = CACHE_NODE_HOUR[d.redisNodeType];
  if (nodeHour === undefined) throw new Error(`no price for ${d.redisNodeType}`);
  add('ElastiCache', nodes * hours * nodeHour, `${nodes} × ${d.redisNodeType}`);
  const engineLoad = s.peakPixelsPerSecond * MEASURED.redisCpuMsPerWrite / 1000;
  if (engineLoad > 0.5) warnings.push(`${s.name}: the writes alone keep Redis ${Math.round(engineLoad * 100)} % busy at the peak`);

  // Fargate writers: every pixel is placed on them (the page's through the ALB, the socket servers'
  // directly), the tasks kept at the autoscaling target's CPU (never below the minimum).
  const writerVcpu = d.writerCpu / 1024;
  const writerTaskHourUsd = writerVcpu * PRICES.fargateVcpuHour.usd + (d.writerMemoryMb / 1024) * PRICES.fargateGbHour.usd;
  const writesPerTask = (WRITER_CPU_TARGET_PERCENT / 100) * writerVcpu / (ASSUMED.writerCpuMsPerWrite / 1000);
  const avgWriters = Math.max(d.writerMinTasks, avgPixelsPerSecond / writesPerTask);
  const peakWriters = Math.max(d.writerMinTasks, Math.ceil(s.peakPixelsPerSecond / writesPerTask));
  if (peakWriters > d.writerMaxTasks) warnings.push(`${s.name}: ${peakWriters} writer tasks at the peak: raise writerMaxTasks (${d.writerMaxTasks})`);
  add('Fargate writers', avgWriters * hours * writerTaskHourUsd,
    `${avgWriters.toFixed(1)} tasks on average, ${peakWriters} at the peak (${writerVcpu} vCPU, ${d.writerMemoryMb / 1024} GB; ${ASSUMED.writerCpuMsPerWrite} ms CPU a write, assumed); every pixel assumed placed over HTTP`);

  // Fargate: tasks follow the sockets (never below the minimum).
  const vcpu = d.socketCpu / 1024;
  const taskHourUsd = vcpu * PRICES.fargateVcpuHour.usd + (d.socketMemoryMb / 1024) * PRICES.fargateGbHour.usd;
  const avgTasks = Math.max(d.socketMinTasks, avgConcurrent / s.clientsPerTask);
  const peakTasks = Math.max(d.socketMinTasks, Math.ceil(s.peakConcurrent / s.clientsPerTask));
  if (peakTasks > d.socketMaxTasks) warnings.push(`${s.name}: ${peakTasks} socket tasks at the peak: raise socketMaxTasks (${d.socketMaxTasks})`);
  add('Fargate socket servers', avgTasks * hours * taskHourUsd, `${avgTasks.toFixed(1)} tasks on average, ${peakTasks} at the peak (${vcpu} vCPU, ${d.socketMemoryMb / 1024} GB)`);

  // Keyspaces: three rows a placement; the history grows (its first month's storage and PITR here).
  const wru = s.pixels * ASSUMED.keyspacesRowsPerPixel;
  const storedGb = (s.pixels * ASSUMED.historyRowBytes) / GB;
  add('Keyspaces', wru * PRICES.keyspacesWriteUnit.usd + storedGb * (PRICES.keyspacesStorageGb.usd + PRICES.keyspacesPitrGb.usd) * share,
    `${fmtCount(wru)} WRU; +${storedGb.toFixed(1)} GB history`);

  // Lambda: a session per user, board fetches the CDN let through, repairs on reconnect, and the
  // scheduled snapshots; no writes (the writer tasks above; write-pixel serves only placements over a
  // socket, taken as none). (A restore task runs only when Redis lost the board: minutes of Fargate, left out.)
  const gbs = (ms: number, n: number) => n * (ms / 1000) * (d.lambdaMemoryMb / 1024);
  const snapshots = (hours * 60) / d.snapshotEveryMinutes;
  const invocations = s.users + originBoardFetches + connects + snapshots;
  const computeUsd = (gbs(ASSUMED.boardBilledMs, originBoardFetches) + gbs(ASSUMED.otherBilledMs, s.users + connects)
    + gbs(ASSUMED.snapshotBilledMs, snapshots)) * PRICES.lambdaGbSecond.usd;
  add('Lambda', invocations * PRICES.lambdaRequest.usd + computeUsd, `${fmtCount(invocations)} invocations; writes on the writer tasks`);

  add('CloudFront', cloudFrontTransferUsd(cloudFrontBytes) + requests * PRICES.cloudFrontRequest.usd,
    `${fmtTb(cloudFrontBytes)} out: sockets ${fmtTb(socketBytes)}, board re-checks ${fmtTb(recheckBytes)}`);

  // Observability: logs, metrics, alarms, the canary, the dashboard; secrets.
  const alarms = functionAlarmCount(ROUTES.map((r) => r.name)) + ALARMS_BEYOND_FUNCTIONS;
  // A writer logs nothing per write: its metrics go out as a few EMF lines every 10 s (bin/writer.ts).
  const writerFlushes = avgWriters * hours * 360;
  const logsGb = (invocations * ASSUMED.lambdaLogBytes + writerFlushes * ASSUMED.writerFlushBytes + s.socketHours * ASSUMED.flowLogBytesPerSocketHour) / GB;
  const canaryRuns = (hours * 60) / d.canaryEveryMinutes;
  add('CloudWatch, canary, secrets', logsGb * PRICES.logsIngestGb.usd + (alarms * PRICES.alarm.usd + ASSUMED.customMetrics * PRICES.customMetric.usd + PRICES.dashboard.usd + 2 * PRICES.secret.usd) * share
    + canaryRuns * PRICES.canaryRun.usd, `${logsGb.toFixed(0)} GB logs, ${alarms} alarms, ${Math.round(canaryRuns)} canary runs`);
  // Snapshots are kept (the event's history): the period's new ones, stored for the period.
  const snapshotGb = (snapshots * boardBytes) / GB;
  // Published boards: at most one a second (fewer when the board is quiet), expired after a day.
  const publishes = seconds / ASSUMED.publishEverySeconds + seconds / ASSUMED.publishPngEverySeconds;
  add('S3 (page, snapshots, published boards, access logs)', ((requests * ASSUMED.accessLogBytes) / GB + snapshotGb * share) * PRICES.s3StorageGb.usd + (snapshots + publishes) * PRICES.s3Put.usd,
    `CloudFront and ALB logs, 30 days; ${Math.round(snapshots)} snapshots, +${snapshotGb.toFixed(1)} GB; ${fmtCount(publishes)} published boards`);

  const total = items.reduce((sum, i) => sum + i.usd, 0);
  return { scenario: s, items, total, warnings, traffic: { cloudFrontTb: cloudFrontBytes / TB, recheckTb: recheckBytes / TB, socketTb: socketBytes / TB } };
}

function fmtCount(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)} B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)} k` : n.toFixed(0);
}

export function fmtTb(bytes: number): string {
  return bytes >= TB ? `${(bytes / TB).toFixed(1)} TB` : `${(bytes / GB).toFixed(0)} GB`;
}

export function usd(n: number): string {
  return n >= 100 ? `$${Math.round(n).toLocaleString('en-US')}` : `$${n.toFixed(n >= 10 ? 0 : 2)}`;
}

/** A markdown table: one row a line item, one column a scenario. */
export function costTable(estimates: Estimate[]): string {
  const head = `| item | ${estimates.map((e) => e.scenario.name).join(' | ')} |`;
  const rule = `| --- | ${estimates.map(() => '---:').join(' | ')} |`;
  const rows = estimates[0]!.items.map((item, i) => `| ${item.item} | ${estimates.map((e) => usd(e.items[i]!.usd)).join(' | ')} |`);
  const total = `| **total** | ${estimates.map((e) => `**${usd(e.total)}**`).join(' | ')} |`;
  return [head, rule, ...rows, total].join('\n');
}
