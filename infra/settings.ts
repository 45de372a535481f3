// Deployment settings, from CDK context (cdk.json or -c key=value), validated once. No context
// lookups: everything the synth needs is here, so `cdk synth` runs offline.
export interface Settings {
  envName: string;
  account: string;
  region: string;
  boardWidth: number;
  boardHeight: number;
  cooldownMs: number;
  lambdaMemoryMb: number;
  /** Reserved concurrency of write-pixel (0 = none). */
  writeReservedConcurrency: number;
  /** Provisioned concurrency of get-board (0 = none); the page's writes go to the writer tasks. */
  provisionedConcurrency: number;
  socketMinTasks: number;
  socketMaxTasks: number;
  socketCpu: number;
  socketMemoryMb: number;
  connectionsPerTask: number;
  /** The writer service (infra/writer-service.ts): POST /api/pixels on Fargate, so concurrent writes share a Redis call. */
  writerMinTasks: number;
  writerMaxTasks: number;
  writerCpu: number;
  writerMemoryMb: number;
  redisNodeType: string;
  redisReplicas: number;
  natGateways: number;
  logRetentionDays: number;
  /**
   * Optional custom domain (all three or none): the viewer certificate (us-east-1), an origin
   * certificate for origin.<domainName> on the ALB (HTTPS from CloudFront to the ALB), and alias
   * records, all in this Route 53 public hosted zone. Without it: the *.cloudfront.net name, and
   * HTTP inside the VPC origin's private connection.
   */
  domainName: string | null;
  hostedZoneId: string | null;
  zoneName: string | null;
  alarmEmail: string | null;
  wafPixelLimit: number;
  wafSessionLimit: number;
  /** The canary places its pixel here every canaryEveryMinutes (default: the bottom-right corner). */
  canaryPixelX: number | null;
  canaryPixelY: number | null;
  canaryColor: number;
  canaryEveryMinutes: number;
  /** The placements-stopped alarm waits until at least this many sockets are open. */
  alarmMinConnections: number;
  /** A board snapshot to S3 this often (the scheduled take-snapshot function): a restore replays at most this much more than the cooldown. */
  snapshotEveryMinutes: number;
}

export const DEFAULTS: Settings = {
  envName: 'dev',
  account: '000000000000',
  region: 'eu-west-1',
  boardWidth: 1000,
  boardHeight: 1000,
  cooldownMs: 300_000,
  lambdaMemoryMb: 1024,
  writeReservedConcurrency: 0,
  provisionedConcurrency: 0,
  socketMinTasks: 2,
  socketMaxTasks: 20,
  socketCpu: 1024,
  socketMemoryMb: 2048,
  connectionsPerTask: 8000,
  writerMinTasks: 2,
  writerMaxTasks: 10,
  writerCpu: 512,
  writerMemoryMb: 1024,
  redisNodeType: 'cache.r7g.large',
  redisReplicas: 1,
  natGateways: 1,
  logRetentionDays: 30,
  domainName: null,
  hostedZoneId: null,
  zoneName: null,
  alarmEmail: null,
  wafPixelLimit: 300,
  wafSessionLimit: 100,
  canaryPixelX: null,
  canaryPixelY: null,
  canaryColor: 0,
  canaryEveryMinutes: 5,
  alarmMinConnections: 50,
  snapshotEveryMinutes: 5,
};

/** Settings that are numbers but may be left unset (null). */
const OPTIONAL_NUMBERS = new Set(['canaryPixelX', 'canaryPixelY']);

export function readSettings(context: (key: string) => unknown): Settings {
  const out = { ...DEFAULTS } as Record<string, unknown>;
  for (const [key, fallback] of Object.entries(DEFAULTS)) {
    const raw = context(key);
    if (raw === undefined || raw === null || raw === '') continue;
    if (typeof fallback === 'number' || OPTIONAL_NUMBERS.has(key)) {
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0) throw new Error(`context ${key}: expected a non-negative number, got "${raw}"`);
      out[key] = n;
    } else {
      out[key] = String(raw);
    }
  }
  const s = out as unknown as Settings;
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(s.envName)) throw new Error(`context envName: lower-case letters, digits and dashes, got "${s.envName}"`);
  if (s.socketMinTasks > s.socketMaxTasks) throw new Error('context socketMinTasks: must not exceed socketMaxTasks');
  // At least one writer: without one POST /api/pixels has nowhere to go.
  if (!Number.isInteger(s.writerMinTasks) || s.writerMinTasks < 1) throw new Error('context writerMinTasks: a whole number of tasks, at least 1');
  if (s.writerMinTasks > s.writerMaxTasks) throw new Error('context writerMinTasks: must not exceed writerMaxTasks');
  const domain = [s.domainName, s.hostedZoneId, s.zoneName];
  if (domain.some((v) => v !== null) && domain.some((v) => v === null)) {
    throw new Error('context domainName, hostedZoneId, zoneName: set all three for a custom domain, or none');
  }
  if (s.domainName && s.zoneName && !`.${s.domainName}`.endsWith(`.${s.zoneName.replace(/\.$/, '')}`)) {
    throw new Error(`context domainName: "${s.domainName}" is not in the zone "${s.zoneName}"`);
  }
  if ((s.canaryPixelX ?? 0) >= s.boardWidth || (s.canaryPixelY ?? 0) >= s.boardHeight) throw new Error('context canaryPixelX/Y: must be on the board');
  if (s.canaryEveryMinutes < 1 || s.canaryEveryMinutes > 60) throw new Error('context canaryEveryMinutes: from 1 to 60');
  if (!Number.isInteger(s.snapshotEveryMinutes) || s.snapshotEveryMinutes < 1 || s.snapshotEveryMinutes > 60) {
    throw new Error('context snapshotEveryMinutes: a whole number of minutes from 1 to 60');
  }
  return s;
}
