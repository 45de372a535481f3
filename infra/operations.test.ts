// Alarms that can fire, in the synthesised template: each watches a metric with exactly the
// namespace and dimensions something publishes (our EMF lines, Keyspaces, ElastiCache per node),
// and the canary plays through CloudFront on a schedule.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthApp, type SynthesisedApp } from '../test-support/cdk-app.ts';
import { ROUTES } from '../lambdas/routes.ts';
import { functionAlarmCount, functionAlarmPlan, grouped } from './function-alarms.ts';
import { CANARY_SCRIPT } from './canary.ts';
import { FUNCTIONS_SERVICE, KEYSPACES_THROTTLES, UNAVAILABLE_CAUSES } from './operations.ts';
import { METRICS } from '../core/observability/telemetry.ts';
import { cloudWatchName } from '../lambdas/http/lambda-telemetry.ts';
import { ALARMS_BEYOND_FUNCTIONS } from './cost-model.ts';

type MetricQuery = {
  Id: string; Expression?: string; Period?: number; ReturnData?: boolean;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] }; Stat: string; Period: number };
};
type AlarmProps = { AlarmName: string; Metrics?: MetricQuery[]; Namespace?: string; MetricName?: string; Dimensions?: { Name: string; Value: unknown }[];
  Threshold: number; ComparisonOperator: string; EvaluationPeriods: number; TreatMissingData: string; AlarmActions: unknown[] };

let app: SynthesisedApp;
let alarms: Map<string, AlarmProps>;
const alarm = (name: string) => {
  const a = alarms.get(`place-dev-${name}`);
  expect(a, name).toBeDefined();
  return a!;
};
const dims = (q: MetricQuery) => Object.fromEntries(q.MetricStat!.Metric.Dimensions.map((d) => [d.Name, d.Value]));
/** An alarm's metric queries, whether CloudFormation has them as a Metrics list or as one inline metric. */
const queries = (a: AlarmProps): MetricQuery[] => a.Metrics
  ?? [{ Id: 'm', MetricStat: { Metric: { Namespace: a.Namespace!, MetricName: a.MetricName!, Dimensions: a.Dimensions! }, Stat: '', Period: 0 } }];

beforeAll(async () => {
  app = await synthApp();
  alarms = new Map(app.ofType('AWS::CloudWatch::Alarm').map(([, r]) => [String(r.Properties.AlarmName), r.Properties as unknown as AlarmProps]));
});

describe('alarms', () => {
  it('every alarm notifies the topic; Lambda errors and throttles and ALB 5xx are still watched', () => {
    for (const a of alarms.values()) expect(a.AlarmActions, a.AlarmName).toHaveLength(1);
    const plan = functionAlarmPlan(ROUTES.map((r) => r.name));
    for (const name of plan.single) for (const what of ['errors', 'throttles']) alarm(`${name}-${what}`);
    // The moderators' and sign-in functions in groups: every one of them is in exactly one group's alarms.
    expect(plan.groups.flat().sort()).toEqual(ROUTES.map((r) => r.name).filter(grouped).sort());
    expect(plan.groups.flat()).toEqual(expect.arrayContaining(['auth', 'auth-logout', 'admin-me']));
    plan.groups.forEach((names, i) => {
      for (const what of ['errors', 'throttles']) expect(JSON.stringify(alarm(`admin-${i + 1}-${what}`).Metrics).match(/FunctionName/g)).toHaveLength(names.length);
    });
    alarm('alb-5xx');
    alarm('target-5xx');
    expect(app.ofType('AWS::CloudWatch::Dashboard')).toHaveLength(1);
    expect(alarms.size).toBe(functionAlarmCount(ROUTES.map((r) => r.name)) + ALARMS_BEYOND_FUNCTIONS); // what the cost model counts
  });

  it('encrypts the topic with a rotated key of our own that lets CloudWatch alarms publish (the AWS-managed SNS key cannot)', () => {
    const [topic] = app.ofType('AWS::SNS::Topic').map(([, r]) => r.Properties);
    const keyRef = (topic!.KmsMasterKeyId as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
    expect(keyRef, 'a key in this stack, not alias/aws/sns').toBeDefined();
    const key = app.resources[keyRef!]!;
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const statements = (key.Properties.KeyPolicy as { Statement: { Principal?: { Service?: string }; Action: string[] }[] }).Statement;
    const cloudWatch = statements.find((st) => st.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudWatch?.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
  });

  it('503s by cause, on the functions\' own metric (PixelBoard Unavailable, service + store), and in total whatever the store', () => {
    expect(cloudWatchName('unavailable')).toBe('Unavailable');
    expect(METRICS.unavailable.labels).toEqual(['store']);
    for (const store of UNAVAILABLE_CAUSES) {
      const [q] = queries(alarm(`unavailable-${store}`));
      expect(q!.MetricStat!.Metric).toMatchObject({ Namespace: 'PixelBoard', MetricName: 'Unavailable' });
      expect(dims(q!)).toEqual({ service: FUNCTIONS_SERVICE, store });
    }
    expect(alarm('unavailable-any').Metrics![0]!.Expression).toBe(`SELECT SUM(Unavailable) FROM SCHEMA("PixelBoard", service, store) WHERE service = '${FUNCTIONS_SERVICE}'`);
    const [rebuild] = queries(alarm('rebuild-failed'));
    expect(dims(rebuild!)).toEqual({ service: FUNCTIONS_SERVICE, outcome: 'failed' });
    expect(alarm('failures').Metrics![0]!.Expression).toContain('SUM(Failures) FROM SCHEMA("PixelBoard", service, what)');
    // The functions publish with that service name.
    const fn = app.ofType('AWS::Lambda::Function').find(([, r]) => String(r.Properties.Description ?? '').startsWith('lambdas/write-pixel'))![1];
    expect((fn.Properties.Environment as { Variables: Record<string, string> }).Variables.POWERTOOLS_SERVICE_NAME).toBe(FUNCTIONS_SERVICE);
  });

  it('fires when nobody but the canary placed a pixel while sockets were open (Placements, and the socket servers\' Connections)', () => {
    const a = alarm('placements-stopped');
    const byId = new Map(a.Metrics!.map((q) => [q.Id, q]));
    const placements = byId.get('placements')!;
    const connections = byId.get('connections')!;
    expect(placements.MetricStat!.Metric).toMatchObject({ Namespace: 'PixelBoard', MetricName: 'Placements' });
    expect(dims(placements)).toEqual({ service: FUNCTIONS_SERVICE });
    expect(connections.MetricStat!.Metric).toMatchObject({ Namespace: 'PixelBoard', MetricName: 'Connections' });
    expect(dims(connections)).toEqual({ service: 'place-dev-sockets' });
    const expr = a.Metrics!.find((q) => q.ReturnData !== false)!.Expression!;
    // 15 minutes, at least 50 sockets on average, at most 3 placements (the canary's, every 5 minutes).
    expect(expr).toBe('IF(connections / 15 >= 50, 1, 0) * IF(FILL(placements, 0) <= 3, 1, 0)');
    expect([placements.MetricStat!.Period, connections.MetricStat!.Period]).toEqual([900, 900]);
    expect(a).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('watches Redis CPU and memory on every node of the group, so a failover does not blind them', () => {
    for (const name of ['redis-cpu', 'redis-memory']) {
      const queries = alarm(name).Metrics!;
      const nodes = queries.filter((q) => q.MetricStat);
      expect(nodes.map((q) => JSON.stringify(dims(q).CacheClusterId))).toEqual(['-001', '-002'].map((suffix) => JSON.stringify({ 'Fn::Join': ['', [{ Ref: app.ofType('AWS::ElastiCache::ReplicationGroup')[0]![0] }, suffix]] })));
      expect(queries.find((q) => q.Expression)!.Expression).toBe(`MAX([${nodes.map((q) => q.Id).join(', ')}])`);
    }
  });

  it('counts Keyspaces throttling over every table and operation, as Keyspaces publishes it (Keyspace, Operation, TableName)', () => {
    for (const metricName of KEYSPACES_THROTTLES) {
      const [q] = alarm(`keyspaces-${metricName}`).Metrics!;
      expect(q!.Expression).toBe(`SELECT SUM(${metricName}) FROM SCHEMA("AWS/Cassandra", Keyspace, Operation, TableName) WHERE Keyspace = 'place_dev'`);
      expect(q!.Period).toBe(300);
    }
  });
});

describe('the canary', () => {
  it('plays every 5 minutes through CloudFront: board, session, a pixel in the corner', () => {
    const [, canary] = app.ofType('AWS::Synthetics::Canary')[0]!;
    const p = canary.Properties as { Schedule: { Expression: string }; RuntimeVersion: string; Code: { Handler: string; Script: string }; RunConfig: { EnvironmentVariables: Record<string, unknown> } };
    expect(p.Schedule.Expression).toBe('rate(5 minutes)');
    expect(p.RuntimeVersion).toMatch(/^syn-nodejs-/);
    expect(p.Code).toEqual({ Handler: 'index.handler', Script: readFileSync(CANARY_SCRIPT, 'utf8') });
    expect(p.RunConfig.EnvironmentVariables).toMatchObject({ PIXEL_X: '999', PIXEL_Y: '999', BOARD_WIDTH: '1000', BOARD_HEIGHT: '1000' });
    expect(JSON.stringify(p.RunConfig.EnvironmentVariables.SITE_HOST)).toContain('Distribution');
  });

  it('alarms after two failed runs in a row, or when it stops running', () => {
    const a = alarm('canary');
    const [q] = queries(a);
    expect(q!.MetricStat!.Metric).toMatchObject({ Namespace: 'CloudWatchSynthetics', MetricName: 'SuccessPercent' });
    expect(JSON.stringify(dims(q!).CanaryName)).toContain(app.ofType('AWS::Synthetics::Canary')[0]![0]);
    expect(a).toMatchObject({ Threshold: 100, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 2, TreatMissingData: 'breaching' });
  });
});
