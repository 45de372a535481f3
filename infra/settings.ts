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
  /** Provisioned concurrency of write-pixel and get-board (0 = none). */
  provisionedConcurrency: number;
  socketMinTasks: number;
  socketMaxTasks: number;
  socketCpu: number;
  socketMemoryMb: number;
  connectionsPerTask: number;
  redisNodeType: string;
  redisReplicas: number;
  natGateways: number;
  logRetentionDays: number;
  certificateArn: string | null;
  alarmEmail: string | null;
  wafPixelLimit: number;
  wafSessionLimit: number;
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
  redisNodeType: 'cache.r7g.large',
  redisReplicas: 1,
  natGateways: 1,
  logRetentionDays: 30,
  certificateArn: null,
  alarmEmail: null,
  wafPixelLimit: 300,
  wafSessionLimit: 100,
};

export function readSettings(context: (key: string) => unknown): Settings {
  const out = { ...DEFAULTS } as Record<string, unknown>;
  for (const [key, fallback] of Object.entries(DEFAULTS)) {
    const raw = context(key);
    if (raw === undefined || raw === null || raw === '') continue;
    if (typeof fallback === 'number') {
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
  return s;
}
