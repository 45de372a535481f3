// Snapshots and restores in the synthesised template (infra/board-jobs.ts): the snapshot bucket is
// private and outlives a teardown; a schedule runs the snapshot function; the restore job is a
// Fargate task running rebuild.mjs; each has the rights it needs and no more, and only the
// functions that find the board missing may start the task. And the image bundles both entry points.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthApp, type Resource, type SynthesisedApp } from '../test-support/cdk-app.ts';
import { loadConfig } from '../core/config.ts';
import { readSettings } from './settings.ts';
import { HISTORY_READERS, LAMBDA_BUNDLE, REPO_ROOT, RESTORE_TRIGGERS } from './http-functions.ts';
import { JOB_FUNCTIONS, RESTORE_COMMAND, RESTORE_CONTAINER, SNAPSHOT_PREFIX } from './board-jobs.ts';
import { ROUTES } from '../lambdas/routes.ts';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

let app: SynthesisedApp;
let outputs: Record<string, { Value: unknown }>;
const json = (v: unknown) => JSON.stringify(v);
const actions = (s: Statement) => [s.Action].flat();
const resourceOf = (id: string) => app.resources[id]!;
const functionByFile = (file: string) => app.ofType('AWS::Lambda::Function').find(([, r]) => String(r.Properties.Description ?? '').startsWith(`${file}:`))!;
const roleOf = (fn: Resource) => (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
/** Every statement of the inline policies attached to a role. */
const statementsOf = (role: string): Statement[] => app.ofType('AWS::IAM::Policy')
  .filter(([, r]) => json(r.Properties.Roles).includes(`"${role}"`))
  .flatMap(([, r]) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const envOf = (fn: Resource) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
/** An environment as the process would see it: CloudFormation values stand in as plain strings. */
const resolved = (env: Record<string, unknown>) => Object.fromEntries(Object.entries(env).map(([k, v]) => [k,
  typeof v === 'string' ? v : k === 'REDIS_URL' ? 'rediss://redis.internal:6379' : `resolved-${k.toLowerCase()}`]));

const snapshotFunction = () => functionByFile('lambdas/jobs/take-snapshot.ts');
const bucketId = () => (outputs.SnapshotBucket!.Value as { Ref: string }).Ref;
const restoreTask = () => app.ofType('AWS::ECS::TaskDefinition').find(([, r]) => json(r.Properties.ContainerDefinitions).includes(`"Name":"${RESTORE_CONTAINER}"`))!;
const restoreContainer = () => (restoreTask()[1].Properties.ContainerDefinitions as { Name: string; Command: string[]; Environment: { Name: string; Value: unknown }[]; ReadonlyRootFilesystem: boolean; LogConfiguration: unknown }[])[0]!;
const taskRoles = () => {
  const p = restoreTask()[1].Properties as { TaskRoleArn: { 'Fn::GetAtt': [string] }; ExecutionRoleArn: { 'Fn::GetAtt': [string] } };
  return { task: p.TaskRoleArn['Fn::GetAtt'][0], execution: p.ExecutionRoleArn['Fn::GetAtt'][0] };
};

beforeAll(async () => {
  app = await synthApp();
  outputs = app.t.toJSON().Outputs as typeof outputs;
});

describe('snapshots in AWS', () => {
  it('keeps them in a private, encrypted, SSL-only bucket that logs access and outlives a teardown', () => {
    const bucket = resourceOf(bucketId());
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    const logs = (bucket.Properties.LoggingConfiguration as { DestinationBucketName: { Ref: string } }).DestinationBucketName.Ref;
    expect(resourceOf(logs).Type).toBe('AWS::S3::Bucket');
    const policy = app.ofType('AWS::S3::BucketPolicy').find(([, r]) => json(r.Properties.Bucket) === json({ Ref: bucketId() }))!;
    const denyPlainHttp = (policy[1].Properties.PolicyDocument as { Statement: Statement[] }).Statement
      .find((s) => s.Effect === 'Deny' && json(s.Condition) === json({ Bool: { 'aws:SecureTransport': 'false' } }));
    expect(denyPlainHttp).toBeDefined();
    // Nothing public reads them: no other principal in the bucket policy.
    expect((policy[1].Properties.PolicyDocument as { Statement: Statement[] }).Statement.every((s) => s.Effect === 'Deny')).toBe(true);
  });

  it('takes one every snapshotEveryMinutes: an EventBridge rule invokes the snapshot function, which Lambda retries until the next run', () => {
    const [fnId, fn] = snapshotFunction();
    const rules = app.ofType('AWS::Events::Rule').filter(([, r]) => json(r.Properties.Targets).includes(`"${fnId}"`));
    expect(rules).toHaveLength(1);
    const [ruleId, rule] = rules[0]!;
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED', Targets: [{ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } }] });
    const permission = app.ofType('AWS::Lambda::Permission').find(([, r]) => json(r.Properties.FunctionName).includes(`"${fnId}"`))!;
    expect(permission[1].Properties).toMatchObject({ Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] } });
    const invoke = app.ofType('AWS::Lambda::EventInvokeConfig').find(([, r]) => json(r.Properties.FunctionName) === json({ Ref: fnId }))!;
    expect(invoke[1].Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 });
    expect(envOf(fn)).toMatchObject({ SNAPSHOT_BUCKET: { Ref: bucketId() }, SNAPSHOT_PREFIX });
    // The app's own default prefix: what the restore lists is what the function wrote.
    expect(loadConfig({}).snapshots.prefix).toBe(SNAPSHOT_PREFIX);
    const alarm = app.ofType('AWS::CloudWatch::Alarm').find(([, r]) => r.Properties.AlarmName === 'place-dev-take-snapshot-errors')!;
    expect(alarm[1].Properties).toMatchObject({ MetricName: 'Errors', Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }] });
    expect(() => readSettings((k) => (k === 'snapshotEveryMinutes' ? '0' : undefined))).toThrow(/snapshotEveryMinutes/);
    expect(() => readSettings((k) => (k === 'snapshotEveryMinutes' ? '61' : undefined))).toThrow(/snapshotEveryMinutes/);
  });

  it('is a job, not a route: one function a file in lambdas/jobs/, none behind the load balancer', () => {
    const files = readdirSync(path.join(REPO_ROOT, 'lambdas', 'jobs')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual([...JOB_FUNCTIONS].sort());
    for (const job of JOB_FUNCTIONS) {
      const [fnId] = functionByFile(`lambdas/jobs/${job}.ts`);
      expect(json(app.ofType('AWS::ElasticLoadBalancingV2::TargetGroup'))).not.toContain(`"${fnId}"`);
      expect(ROUTES.map((r) => r.name)).not.toContain(job);
    }
  });

  it('lets the snapshot function read the Redis token, read and write the tables, and put objects under the prefix: nothing else', () => {
    const [, fn] = snapshotFunction();
    const statements = statementsOf(roleOf(fn));
    expect(statements.flatMap(actions).sort()).toEqual(['cassandra:Modify', 'cassandra:Select', 's3:PutObject', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(statements.every((s) => s.Effect === 'Allow' && actions(s).every((a) => !a.includes('*')))).toBe(true);
    const by = (action: string) => json(statements.find((s) => actions(s).includes(action))!.Resource);
    expect(by('secretsmanager:GetSecretValue')).toMatch(/^\{"Ref":"RedisAuthToken[0-9A-F]+"\}$/);
    expect(by('s3:PutObject')).toBe(json({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, `/${SNAPSHOT_PREFIX}*`]] }));
    expect(by('cassandra:Modify')).not.toContain('system');
    expect(json(envOf(fn))).not.toContain('SESSION_SECRET');
    // The roles' managed policies: logs and VPC network interfaces, as every function has.
    expect(json(resourceOf(roleOf(fn)).Properties.ManagedPolicyArns)).toMatch(/AWSLambdaBasicExecutionRole.*AWSLambdaVPCAccessExecutionRole/);
  });
});

describe('the restore job in AWS', () => {
  it('is a Fargate task running rebuild.mjs from the app image, on the app\'s stores and the snapshots', () => {
    const [, task] = restoreTask();
    expect(task.Properties).toMatchObject({ Family: 'place-dev-restore', RequiresCompatibilities: ['FARGATE'], RuntimePlatform: { CpuArchitecture: 'ARM64' } });
    const container = restoreContainer();
    expect(container.Command).toEqual(RESTORE_COMMAND);
    expect(container.Command.slice(0, 2)).toEqual(['node', 'rebuild.mjs']);
    expect(container.ReadonlyRootFilesystem).toBe(true);
    const socketImage = app.ofType('AWS::ECS::TaskDefinition').map(([, r]) => json((r.Properties.ContainerDefinitions as { Image: unknown }[])[0]!.Image));
    expect(new Set(socketImage).size).toBe(1); // the same image as the socket servers
    const env = Object.fromEntries(container.Environment.map((e) => [e.Name, e.Value]));
    const config = loadConfig({ ...resolved(env), AWS_REGION: 'eu-west-1' });
    expect(config.cassandra).toMatchObject({ flavour: 'keyspaces', keyspace: 'place_dev', port: 9142 });
    expect(config.redis).toMatchObject({ url: 'rediss://redis.internal:6379', authSecretArn: 'resolved-redis_auth_secret_arn' });
    expect(config.snapshots).toMatchObject({ bucket: 'resolved-snapshot_bucket', prefix: SNAPSHOT_PREFIX });
    expect(env).toMatchObject({ SNAPSHOT_BUCKET: { Ref: bucketId() }, BOARD_WIDTH: '1000', COOLDOWN_MS: '300000', LOG_LEVEL: 'info' });
  });

  it('may read the Redis token, read and write the tables, and list and read snapshots under the prefix: nothing else', () => {
    const { task, execution } = taskRoles();
    const statements = statementsOf(task);
    expect(statements.flatMap(actions).sort()).toEqual([
      'cassandra:Modify', 'cassandra:Select', 's3:GetObject', 's3:ListBucket', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue',
    ]);
    expect(statements.every((s) => s.Effect === 'Allow' && actions(s).every((a) => !a.includes('*')))).toBe(true);
    const get = statements.find((s) => actions(s).includes('s3:GetObject'))!;
    expect(json(get.Resource)).toBe(json({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, `/${SNAPSHOT_PREFIX}*`]] }));
    const list = statements.find((s) => actions(s).includes('s3:ListBucket'))!;
    expect(list.Resource).toEqual({ 'Fn::GetAtt': [bucketId(), 'Arn'] });
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': [`${SNAPSHOT_PREFIX}*`] } });
    expect(resourceOf(task).Properties.ManagedPolicyArns).toBeUndefined();
    // The execution role (CDK's): pull the image, write the log stream; none of the app's data.
    const executionActions = statementsOf(execution).flatMap(actions);
    expect(executionActions.filter((a) => !/^(ecr|logs):/.test(a))).toEqual([]);
  });

  it('runs in the private subnets with a group that Redis and the Keyspaces and Secrets Manager endpoints admit', () => {
    const ingress = app.ofType('AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties).filter((p) => json(p.SourceSecurityGroupId).includes('RestoreSg'));
    const to = (groupPrefix: string, port: number) => ingress.some((p) => json(p.GroupId).includes(groupPrefix) && p.FromPort === port);
    expect(to('NetworkRedisSg', 6379)).toBe(true);
    expect(to('NetworkEndpointSg', 443)).toBe(true);
    expect(to('NetworkEndpointSg', 9142)).toBe(true);
    expect(app.ofType('AWS::EC2::VPCEndpoint').some(([, r]) => r.Properties.VpcEndpointType === 'Gateway' && json(r.Properties.ServiceName).includes('.s3'))).toBe(true);
    expect(json(outputs.RestoreSubnets!.Value)).toMatch(/privateSubnet1Subnet.*privateSubnet2Subnet/);
    expect(json(outputs.RestoreSubnets!.Value)).not.toContain('publicSubnet');
    for (const name of ['RestoreCluster', 'RestoreTaskDefinition', 'RestoreSecurityGroup', 'SnapshotBucket']) expect(outputs[name], name).toBeDefined();
  });

  it('can be started by write-pixel, get-board, get-board-png and the writer tasks alone: RunTask on its family in its cluster, PassRole of its two roles to ECS', () => {
    expect([...RESTORE_TRIGGERS].sort()).toEqual(['get-board', 'get-board-png', 'write-pixel']);
    const { task, execution } = taskRoles();
    const starters = new Set<string>();
    for (const [, policy] of app.ofType('AWS::IAM::Policy')) {
      const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      const run = statements.filter((s) => actions(s).some((a) => a.startsWith('ecs:RunTask') || a === 'iam:PassRole' || a === 'ecs:*' || a === 'iam:*'));
      if (run.length === 0) continue;
      for (const role of policy.Properties.Roles as { Ref: string }[]) starters.add(role.Ref);
      expect(run.map((s) => actions(s)).flat().sort()).toEqual(['ecs:RunTask', 'iam:PassRole']);
      const runTask = run.find((s) => actions(s).includes('ecs:RunTask'))!;
      expect(json(runTask.Resource)).toContain(':ecs:eu-west-1:000000000000:task-definition/place-dev-restore:*');
      expect(runTask.Condition).toEqual({ ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [expect.stringMatching(/^SocketsCluster/), 'Arn'] } } });
      const passRole = run.find((s) => actions(s).includes('iam:PassRole'))!;
      expect(passRole.Resource).toEqual([{ 'Fn::GetAtt': [task, 'Arn'] }, { 'Fn::GetAtt': [execution, 'Arn'] }]);
      expect(passRole.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    }
    const triggers = ROUTES.filter((r) => RESTORE_TRIGGERS.has(r.name)).map((r) => roleOf(functionByFile(`lambdas/${r.name}.ts`)[1]));
    // The writer tasks run write-pixel's handler (infra/writer-service.ts): they start it too.
    const writerRole = (app.ofType('AWS::ECS::TaskDefinition').find(([id]) => id.startsWith('WritersTask'))![1].Properties.TaskRoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    expect([...starters].sort()).toEqual([...triggers, writerRole].sort());
    for (const [, fn] of app.ofType('AWS::Lambda::Function')) {
      const env = fn.Properties.Environment ? envOf(fn) : {};
      const trigger = RESTORE_TRIGGERS.has(String(fn.Properties.Description ?? '').match(/^lambdas\/([a-z-]+)\.ts/)?.[1] ?? '');
      expect('REBUILD_JOB' in env, String(fn.Properties.Description)).toBe(trigger);
      if (!trigger) continue;
      const job = loadConfig({ ...resolved(env), AWS_REGION: 'eu-west-1' }).rebuildJob;
      expect(job).toMatchObject({ mode: 'ecs', taskDefinition: 'place-dev-restore' });
      expect(env.REBUILD_TASK_CLUSTER).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SocketsCluster/), 'Arn'] });
      expect(json(env.REBUILD_TASK_SUBNETS)).toBe(json(outputs.RestoreSubnets!.Value));
      expect(json(env.REBUILD_TASK_SECURITY_GROUPS)).toBe(json(outputs.RestoreSecurityGroup!.Value));
    }
  });

  it('raises an alarm when the restore job logs an error', () => {
    const filter = app.ofType('AWS::Logs::MetricFilter').find(([, r]) => json(r.Properties.LogGroupName).includes('JobsRestoreLogs'))!;
    expect(filter[1].Properties).toMatchObject({ FilterPattern: '{ $.level = "error" }', MetricTransformations: [{ MetricNamespace: 'PixelBoard', MetricName: 'RestoreErrors', MetricValue: '1' }] });
    const alarm = app.ofType('AWS::CloudWatch::Alarm').find(([, r]) => r.Properties.AlarmName === 'place-dev-restore-errors')!;
    expect(alarm[1].Properties).toMatchObject({ Namespace: 'PixelBoard', MetricName: 'RestoreErrors', Threshold: 1 });
  });
});

describe('history in AWS (issue 12)', () => {
  it('gives the history functions the snapshot bucket, to list and read snapshots under the prefix only; no other function', () => {
    for (const route of ROUTES) {
      const [, fn] = functionByFile(`lambdas/${route.name}.ts`);
      const reads = statementsOf(roleOf(fn)).filter((s) => actions(s).some((a) => a.startsWith('s3:') && a !== 's3:PutObject' && !a.startsWith('s3:Abort') && !a.startsWith('s3:DeleteObject')) && json(s.Resource).includes(bucketId()));
      if (!HISTORY_READERS.has(route.name)) {
        expect({ route: route.name, reads }).toEqual({ route: route.name, reads: [] });
        expect(envOf(fn).SNAPSHOT_BUCKET).toBeUndefined();
        continue;
      }
      expect(envOf(fn)).toMatchObject({ SNAPSHOT_BUCKET: { Ref: bucketId() }, SNAPSHOT_PREFIX });
      expect(reads.flatMap(actions).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
      expect(json(reads.find((s) => actions(s).includes('s3:GetObject'))!.Resource)).toBe(json({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, `/${SNAPSHOT_PREFIX}*`]] }));
      expect(reads.find((s) => actions(s).includes('s3:ListBucket'))!.Condition).toEqual({ StringLike: { 's3:prefix': [`${SNAPSHOT_PREFIX}*`] } });
    }
  });
});

describe('the image (Dockerfile)', () => {
  const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const build = dockerfile.replace(/\\\n\s*/g, ' ').split('\n').find((l) => l.startsWith('RUN ') && l.includes('esbuild'))!;

  it('bundles the socket server, the writer, the restore job and the export job with the Lambda bundles\' esbuild settings, and ships them', () => {
    expect(build).toMatch(/for entry in socket-server writer rebuild export; do/);
    expect(build).toContain('npx esbuild bin/$entry.ts --bundle --platform=node');
    expect(build).toContain(`--target=${LAMBDA_BUNDLE.target}`);
    expect(build).toContain('--format=esm');
    expect(LAMBDA_BUNDLE.keepNames).toBe(true);
    expect(build).toContain('--keep-names');
    for (const [from, to] of Object.entries(LAMBDA_BUNDLE.alias)) expect(build).toContain(`--alias:${from}=${to}`);
    expect(build).toContain(`--banner:js="${LAMBDA_BUNDLE.banner}"`);
    expect(build).toContain('--outfile=dist/$entry.mjs');
    // sharp is native (the export draws with it): outside the bundles, shipped beside them (infra/export-job.test.ts).
    expect(build).toContain('--external:sharp');
    const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtimeStage).toMatch(/COPY --from=build .*\/dist\/socket-server\.mjs .*\/dist\/writer\.mjs .*\/dist\/rebuild\.mjs .*\.\//);
    expect(runtimeStage).toContain('CMD ["node", "socket-server.mjs"]');
    expect(RESTORE_COMMAND[1]).toBe('rebuild.mjs');
  });
});
