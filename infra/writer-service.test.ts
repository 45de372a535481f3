// The writer service in the synthesised template (issue 13): POST /api/pixels goes to long-lived
// writer tasks on Fargate, where concurrent writes share a Redis call, with the write-pixel
// function's settings and rights and nothing more; the function stays for the socket servers.
import { beforeAll, describe, expect, it } from 'vitest';
import { synthApp, type Resource, type SynthesisedApp } from '../test-support/cdk-app.ts';
import { readSettings } from './settings.ts';
import { KEYSPACES_WRITE_TABLES } from './http-functions.ts';
import { TABLES } from '../core/pixel-log/cassandra-schema.ts';
import { FUNCTIONS_SERVICE } from './operations.ts';
import { WRITER_DEREGISTRATION_DELAY_S, WRITER_PORT, WRITER_ROUTES } from './writer-service.ts';
import { loadConfig } from '../core/config.ts';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type Container = {
  Name: string; Command: string[]; Environment: { Name: string; Value: unknown }[]; PortMappings: { ContainerPort: number }[];
  HealthCheck: { Command: string[] }; ReadonlyRootFilesystem: boolean; StopTimeout: number;
};

let app: SynthesisedApp;
const json = (v: unknown) => JSON.stringify(v);
const actions = (s: Statement) => [s.Action].flat();
const writerTask = () => app.ofType('AWS::ECS::TaskDefinition').find(([id]) => id.startsWith('WritersTask'))!;
const container = () => (writerTask()[1].Properties.ContainerDefinitions as Container[])[0]!;
const env = () => Object.fromEntries(container().Environment.map((e) => [e.Name, e.Value]));
const taskRole = () => (writerTask()[1].Properties.TaskRoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
const statements = (): Statement[] => app.ofType('AWS::IAM::Policy')
  .filter(([, p]) => json(p.Properties.Roles).includes(`"${taskRole()}"`))
  .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const writePixel = () => app.ofType('AWS::Lambda::Function').find(([, r]) => String(r.Properties.Description ?? '').startsWith('lambdas/write-pixel.ts'))!;

beforeAll(async () => {
  app = await synthApp();
});

describe('the writer service', () => {
  it('receives POST /api/pixels from the ALB (IP targets on the writer port, after /ws, before every function), and no Lambda target group serves write-pixel', () => {
    expect([...WRITER_ROUTES]).toEqual(['write-pixel']);
    const rules = app.ofType('AWS::ElasticLoadBalancingV2::ListenerRule').map(([, r]) => r.Properties);
    const post = rules.filter((r) => json(r.Conditions).includes('"/api/pixels"') && json(r.Conditions).includes('"POST"'));
    expect(post).toHaveLength(1);
    expect(post[0]!.Priority).toBe(2);
    expect(rules.filter((r) => r.Priority !== 1 && r.Priority !== 2).every((r) => Number(r.Priority) >= 10)).toBe(true);
    const groupId = (post[0]!.Actions as { TargetGroupArn: { Ref: string } }[])[0]!.TargetGroupArn.Ref;
    expect(groupId).toMatch(/^AlbWriterTargets/);
    const group = app.resources[groupId]!.Properties;
    expect(group).toMatchObject({ TargetType: 'ip', Port: WRITER_PORT, Protocol: 'HTTP', HealthCheckPath: '/healthz' });
    expect(WRITER_PORT).toBe(8082);
    expect(group.TargetGroupAttributes).toEqual(expect.arrayContaining([
      { Key: 'deregistration_delay.timeout_seconds', Value: String(WRITER_DEREGISTRATION_DELAY_S) },
      { Key: 'load_balancing.algorithm.type', Value: 'least_outstanding_requests' },
    ]));
    // The ECS service registers its writer container on that port with that group.
    const [, service] = app.ofType('AWS::ECS::Service').find(([id]) => id.startsWith('WritersService'))!;
    expect(service.Properties.LoadBalancers).toEqual([{ ContainerName: 'writer', ContainerPort: WRITER_PORT, TargetGroupArn: { Ref: groupId } }]);
    // write-pixel: no target group, and no permission for the load balancer to invoke it.
    const [fnId] = writePixel();
    const lambdaGroups = app.ofType('AWS::ElasticLoadBalancingV2::TargetGroup').filter(([, g]) => g.Properties.TargetType === 'lambda');
    expect(lambdaGroups.filter(([, g]) => json(g.Properties.Targets).includes(fnId))).toEqual([]);
    const permissions = app.ofType('AWS::Lambda::Permission').filter(([, p]) => json(p.Properties.FunctionName).includes(fnId));
    expect(permissions.filter(([, p]) => p.Properties.Principal === 'elasticloadbalancing.amazonaws.com')).toEqual([]);
  });

  it('admits only the ALB and the socket servers into the writers\' own group, on the writer port; the functions\' group admits no one', () => {
    const [writerSg, group] = app.ofType('AWS::EC2::SecurityGroup').find(([id]) => id.startsWith('NetworkWriterSg'))!;
    expect(group.Properties.SecurityGroupIngress ?? []).toEqual([]);
    const rules = app.ofType('AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    const ingress = rules.filter((p) => json(p.GroupId).includes(writerSg));
    expect(ingress).toHaveLength(2);
    for (const rule of ingress) expect(rule).toMatchObject({ ToPort: WRITER_PORT, IpProtocol: 'tcp' });
    expect(ingress.map((p) => json(p.SourceSecurityGroupId).match(/"(AlbSecurityGroup|NetworkSocketSg)/)?.[1]).sort()).toEqual(['AlbSecurityGroup', 'NetworkSocketSg']);
    const [, service] = app.ofType('AWS::ECS::Service').find(([id]) => id.startsWith('WritersService'))!;
    const network = (service.Properties.NetworkConfiguration as { AwsvpcConfiguration: { SecurityGroups: unknown[]; AssignPublicIp: string } }).AwsvpcConfiguration;
    expect(network.SecurityGroups).toEqual([{ 'Fn::GetAtt': [writerSg, 'GroupId'] }]);
    const [lambdaSg] = app.ofType('AWS::EC2::SecurityGroup').find(([id]) => id.startsWith('NetworkLambdaSg'))!;
    expect(rules.filter((p) => json(p.GroupId).includes(lambdaSg))).toEqual([]);
    // What the writers reach: Redis, and the Keyspaces and Secrets Manager endpoints.
    const from = rules.filter((p) => json(p.SourceSecurityGroupId).includes(writerSg));
    const to = (groupPrefix: string, port: number) => from.some((p) => json(p.GroupId).includes(groupPrefix) && p.FromPort === port);
    expect([to('NetworkRedisSg', 6379), to('NetworkEndpointSg', 443), to('NetworkEndpointSg', 9142)]).toEqual([true, true, true]);
    expect(network.AssignPublicIp).toBe('DISABLED');
  });

  it('runs `node writer.mjs` on ARM Fargate in the socket servers\' cluster with write-pixel\'s settings, but writes batched (REDIS_WRITE_BATCH_MS=3)', () => {
    const c = container();
    expect(c).toMatchObject({ Name: 'writer', Command: ['node', 'writer.mjs'], PortMappings: [{ ContainerPort: WRITER_PORT }], ReadonlyRootFilesystem: true, StopTimeout: 30 });
    expect(c.HealthCheck.Command.join(' ')).toContain(`http://127.0.0.1:${WRITER_PORT}/healthz`);
    expect(writerTask()[1].Properties).toMatchObject({ Cpu: '512', Memory: '1024', RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } });
    const e = env();
    expect(e).toMatchObject({ PORT: String(WRITER_PORT), HOST: '0.0.0.0', REDIS_WRITE_BATCH_MS: '3', POWERTOOLS_SERVICE_NAME: FUNCTIONS_SERVICE, CLIENT_ADDRESS_SOURCE: 'cloudfront', REBUILD_JOB: 'ecs' });
    // Every setting of the write-pixel function, the same but for the batch window.
    const fnEnv = (writePixel()[1].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    for (const [name, value] of Object.entries(fnEnv)) if (name !== 'REDIS_WRITE_BATCH_MS') expect({ name, value: e[name] }).toEqual({ name, value });
    for (const name of ['SESSION_SECRET_ARN', 'REDIS_URL', 'REDIS_AUTH_SECRET_ARN', 'REBUILD_TASK_CLUSTER', 'REBUILD_TASK_DEFINITION', 'REBUILD_TASK_SUBNETS', 'REBUILD_TASK_SECURITY_GROUPS']) {
      expect(e[name], name).toBeDefined();
    }
    expect(json(e.REDIS_URL)).toContain('PrimaryEndPoint.Address');
    expect(e.REBUILD_TASK_DEFINITION).toBe('place-dev-restore');
    // The app's config reads it as a batched writer that starts the restore task.
    const strings = Object.fromEntries(Object.entries(e).map(([k, v]) => [k, typeof v === 'string' ? v : 'x']));
    const config = loadConfig({ ...strings, REDIS_URL: 'rediss://redis:6379', AWS_REGION: 'eu-west-1' });
    expect(config.rebuildJob).toMatchObject({ mode: 'ecs', taskDefinition: 'place-dev-restore' });
    const [, service] = app.ofType('AWS::ECS::Service').find(([id]) => id.startsWith('WritersService'))!;
    expect(service.Properties).toMatchObject({
      ServiceName: 'place-dev-writers', DesiredCount: 2, LaunchType: 'FARGATE',
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
    });
    expect(json(service.Properties.Cluster)).toContain('SocketsCluster');
  });

  it('may modify only the placement tables, read its two secrets and start the restore task: write-pixel\'s rights, nothing else', () => {
    const all = statements();
    const modify = all.filter((s) => actions(s).includes('cassandra:Modify'));
    for (const table of TABLES.map((t) => t.name)) {
      expect(json(modify.map((s) => s.Resource)).includes(`/table/${table}"`), table).toBe(KEYSPACES_WRITE_TABLES['write-pixel']!.includes(table));
    }
    const runTask = all.find((s) => actions(s).includes('ecs:RunTask'))!;
    expect(json(runTask.Resource)).toContain(':task-definition/place-dev-restore:*');
    expect(runTask.Condition).toEqual({ ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [expect.stringMatching(/^SocketsCluster/), 'Arn'] } } });
    expect(all.find((s) => actions(s).includes('iam:PassRole'))!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    const secrets = all.filter((s) => actions(s).includes('secretsmanager:GetSecretValue'));
    expect(secrets.map((s) => json(s.Resource)).sort()).toEqual([expect.stringContaining('RedisAuthToken'), expect.stringContaining('SessionSecret')].sort());
    const kinds = new Set(all.flatMap(actions).map((a) => a.split(':')[0]));
    expect([...kinds].sort()).toEqual(['cassandra', 'ecs', 'iam', 'secretsmanager']);
  });

  it('scales on CPU between writerMinTasks and writerMaxTasks, and alarms when fewer than the minimum run', () => {
    const target = app.ofType('AWS::ApplicationAutoScaling::ScalableTarget').find(([, r]) => json(r.Properties.ResourceId).includes('WritersService'))!;
    expect(target[1].Properties).toMatchObject({ MinCapacity: 2, MaxCapacity: 10 });
    const policies = app.ofType('AWS::ApplicationAutoScaling::ScalingPolicy').filter(([, r]) => json(r.Properties.ScalingTargetId).includes(target[0]));
    expect(policies).toHaveLength(1);
    expect(policies[0]![1].Properties.TargetTrackingScalingPolicyConfiguration).toMatchObject({
      TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
    });
    const alarm = app.ofType('AWS::CloudWatch::Alarm').find(([, r]) => r.Properties.AlarmName === 'place-dev-writer-tasks-low')![1].Properties;
    expect(alarm).toMatchObject({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount', Statistic: 'Minimum', Threshold: 2, ComparisonOperator: 'LessThanThreshold' });
    expect(json(alarm.Dimensions)).toContain('"Value":"place-dev-writers"');
    expect(json(app.ofType('AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody)).toContain('Writers (POST /api/pixels)');
  });

  it('registers the writers in the cluster\'s private DNS, where the socket servers send their clients\' placements (no Lambda call, no Lambda endpoint)', async () => {
    const socketEnv = (app.ofType('AWS::ECS::TaskDefinition').find(([id]) => id.startsWith('SocketsTask'))![1].Properties.ContainerDefinitions as Container[])[0]!.Environment as { Name: string; Value: unknown }[];
    expect(socketEnv.find((e) => e.Name === 'WRITER_URLS')?.Value).toBe(`http://writers.place-dev.internal:${WRITER_PORT}`);
    expect(socketEnv.some((e) => e.Name === 'WRITE_PIXEL_FUNCTION')).toBe(false);
    const [namespaceId, namespace] = app.ofType('AWS::ServiceDiscovery::PrivateDnsNamespace')[0]!;
    expect(namespace.Properties.Name).toBe('place-dev.internal');
    const [registryId, registry] = app.ofType('AWS::ServiceDiscovery::Service')[0]!;
    expect(registry.Properties).toMatchObject({ Name: 'writers', DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }] } });
    expect(json(registry.Properties.DnsConfig)).toContain(namespaceId);
    const [, service] = app.ofType('AWS::ECS::Service').find(([id]) => id.startsWith('WritersService'))!;
    expect(json(service.Properties.ServiceRegistries)).toContain(registryId);
    expect(app.ofType('AWS::EC2::VPCEndpoint').some(([, r]) => json(r.Properties.ServiceName).includes('.lambda'))).toBe(false);
    // write-pixel stays a function (its route's), without provisioned concurrency: the page's and the sockets' writes go to the writers.
    const hot = await synthApp({ provisionedConcurrency: '3' });
    const aliases = hot.ofType('AWS::Lambda::Alias').map(([, r]: [string, Resource]) => json(r.Properties.FunctionName));
    expect(aliases).toHaveLength(1);
    expect(aliases[0]).toContain('getboard');
  });

  it('refuses writer settings that cannot run: more at least than at most, or no writer at all', () => {
    expect(readSettings((k) => ({ writerMinTasks: '3', writerMaxTasks: '4' } as Record<string, string>)[k])).toMatchObject({ writerMinTasks: 3, writerMaxTasks: 4 });
    expect(() => readSettings((k) => ({ writerMinTasks: '5', writerMaxTasks: '4' } as Record<string, string>)[k])).toThrow(/writerMinTasks: must not exceed writerMaxTasks/);
    expect(() => readSettings((k) => (k === 'writerMinTasks' ? '0' : undefined))).toThrow(/writerMinTasks/);
    expect(() => readSettings((k) => (k === 'writerCpu' ? 'lots' : undefined))).toThrow(/writerCpu/);
  });
});
