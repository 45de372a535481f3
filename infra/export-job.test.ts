// The export job in the synthesised template (infra/export-job.ts): a Fargate task running
// export.mjs from the app image, on the journal and the session secret, writing to the media
// bucket under media/export/ only; its own security group, which the endpoints admit and Redis
// does not; and the outputs `aws ecs run-task` needs (docs/DEPLOY.md). And the image ships it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthApp, type SynthesisedApp } from '../test-support/cdk-app.ts';
import { loadConfig } from '../core/config.ts';
import { REPO_ROOT } from './http-functions.ts';
import { EXPORT_COMMAND, EXPORT_CONTAINER, EXPORT_OBJECTS, EXPORT_SCRATCH } from './export-job.ts';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type Container = {
  Name: string; Image: unknown; Command: string[]; Environment: { Name: string; Value: unknown }[]; ReadonlyRootFilesystem: boolean;
  MountPoints?: { ContainerPath: string; SourceVolume: string; ReadOnly: boolean }[]; LogConfiguration: { Options: Record<string, unknown> };
};

let app: SynthesisedApp;
let outputs: Record<string, { Value: unknown }>;
const json = (v: unknown) => JSON.stringify(v);
const actions = (s: Statement) => [s.Action].flat();
const statementsOf = (role: string): Statement[] => app.ofType('AWS::IAM::Policy')
  .filter(([, r]) => json(r.Properties.Roles).includes(`"${role}"`))
  .flatMap(([, r]) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const containersOf = (family: string) => app.ofType('AWS::ECS::TaskDefinition').find(([, r]) => r.Properties.Family === family)![1];
const exportTask = () => containersOf('place-dev-export');
const exportContainer = () => (exportTask().Properties.ContainerDefinitions as Container[])[0]!;
const roles = () => {
  const p = exportTask().Properties as { TaskRoleArn: { 'Fn::GetAtt': [string] }; ExecutionRoleArn: { 'Fn::GetAtt': [string] } };
  return { task: p.TaskRoleArn['Fn::GetAtt'][0], execution: p.ExecutionRoleArn['Fn::GetAtt'][0] };
};
const mediaId = () => (outputs.MediaBucket!.Value as { Ref: string }).Ref;
const sessionSecretId = () => app.ofType('AWS::SecretsManager::Secret').find(([, r]) => r.Properties.Description === 'HMAC key of session tokens')![0];

beforeAll(async () => {
  app = await synthApp();
  outputs = app.t.toJSON().Outputs as typeof outputs;
});

describe('the export job in AWS', () => {
  it('is a Fargate task running export.mjs from the socket servers\' image, read-only but for a scratch volume', () => {
    const task = exportTask();
    expect(task.Properties).toMatchObject({ RequiresCompatibilities: ['FARGATE'], RuntimePlatform: { CpuArchitecture: 'ARM64' }, Volumes: [{ Name: 'scratch' }] });
    expect((task.Properties.Volumes as object[])[0]).not.toHaveProperty('Host');
    const container = exportContainer();
    expect(container.Name).toBe(EXPORT_CONTAINER);
    expect(container.Command).toEqual(['node', 'export.mjs']);
    expect(EXPORT_COMMAND).toEqual(container.Command);
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.MountPoints).toEqual([{ ContainerPath: EXPORT_SCRATCH, SourceVolume: 'scratch', ReadOnly: false }]);
    const socketContainer = (containersOf('place-dev-restore').Properties.ContainerDefinitions as Container[])[0]!;
    expect(json(container.Image)).toBe(json(socketContainer.Image));
    expect(container.LogConfiguration.Options).toMatchObject({ 'awslogs-stream-prefix': 'export' });
  });

  it('reads the journal from Keyspaces and the session secret, and writes the archive to the media bucket under media/export/', () => {
    const env = Object.fromEntries(exportContainer().Environment.map((e) => [e.Name, e.Value]));
    expect(env).toMatchObject({
      SESSION_SECRET_ARN: { Ref: sessionSecretId() }, MEDIA_BUCKET: { Ref: mediaId() }, MEDIA_PREFIX: 'media/', DATA_DIR: EXPORT_SCRATCH,
      BOARD_WIDTH: '1000', BOARD_HEIGHT: '1000',
    });
    // The functions' settings: the exportId GET /api/me gives is the hash the export writes.
    const fn = app.ofType('AWS::Lambda::Function').find(([, r]) => String(r.Properties.Description).startsWith('lambdas/get-me.ts:'))![1];
    const fnEnv = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    for (const name of ['SESSION_SECRET_ARN', 'MEDIA_BUCKET', 'MEDIA_PREFIX', 'CASSANDRA_KEYSPACE', 'CASSANDRA_CONTACT_POINTS']) expect(json(env[name]), name).toBe(json(fnEnv[name]));
    expect(env.EXPORT_SECRET).toBeUndefined();
    expect(fnEnv.EXPORT_SECRET).toBeUndefined();
    // As the process reads it: Keyspaces, the media bucket, and no Redis.
    const plain = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : `resolved-${k.toLowerCase()}`]));
    const config = loadConfig({ ...plain, AWS_REGION: 'eu-west-1' });
    expect(config.cassandra).toMatchObject({ flavour: 'keyspaces', keyspace: 'place_dev', port: 9142 });
    expect(config.community).toMatchObject({ mediaBucket: 'resolved-media_bucket', mediaPrefix: 'media/', exportSecret: null });
    expect(config.sessionSecretArn).toBe('resolved-session_secret_arn');
    expect(config.redis).toBeNull();
    expect(Object.keys(env).filter((k) => k.startsWith('REDIS_') || k.startsWith('SNAPSHOT_'))).toEqual([]);
  });

  it('may read the session secret, select from the tables, and put objects under media/export/: nothing else', () => {
    const { task, execution } = roles();
    const statements = statementsOf(task);
    expect(statements.flatMap(actions).sort()).toEqual(['cassandra:Select', 's3:PutObject', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(statements.every((s) => s.Effect === 'Allow' && actions(s).every((a) => !a.includes('*')))).toBe(true);
    const by = (action: string) => statements.find((s) => actions(s).includes(action))!;
    expect(by('secretsmanager:GetSecretValue').Resource).toEqual({ Ref: sessionSecretId() });
    expect(by('s3:PutObject').Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [mediaId(), 'Arn'] }, `/${EXPORT_OBJECTS}*`]] });
    expect(EXPORT_OBJECTS).toBe('media/export/');
    const tables = json(by('cassandra:Select').Resource);
    expect(tables).toContain('/keyspace/place_dev/table/');
    expect(app.resources[task]!.Properties.ManagedPolicyArns).toBeUndefined();
    // The execution role (CDK's): pull the image, write the log stream; none of the app's data.
    expect(statementsOf(execution).flatMap(actions).filter((a) => !/^(ecr|logs):/.test(a))).toEqual([]);
  });

  it('runs with its own group, which the Keyspaces and Secrets Manager endpoints admit and Redis does not, in the restore\'s cluster and subnets', () => {
    const ingress = app.ofType('AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties).filter((p) => json(p.SourceSecurityGroupId).includes('NetworkExportSg'));
    expect(ingress.map((p) => [json(p.GroupId).match(/Network(\w+?)Sg/)![1], p.FromPort]).sort()).toEqual([['Endpoint', 443], ['Endpoint', 9142]]);
    expect(json(outputs.ExportSecurityGroup!.Value)).toContain('NetworkExportSg');
    expect(outputs.ExportTaskDefinition!.Value).toBe('place-dev-export');
    for (const name of ['RestoreCluster', 'RestoreSubnets', 'MediaBucket', 'Url']) expect(outputs[name], name).toBeDefined();
    // Nobody may start it but an operator: no function or task has RunTask on its family.
    expect(json(app.ofType('AWS::IAM::Policy'))).not.toContain('place-dev-export');
  });
});

describe('the image (Dockerfile)', () => {
  const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('ships export.mjs with sharp beside it, and a scratch folder its user owns at the task\'s mount path', () => {
    expect(runtime).toMatch(/COPY --from=build .*\/dist\/export\.mjs .*\.\//);
    expect(runtime).toContain('COPY --from=build /app/dist/node_modules ./node_modules');
    expect(runtime).toContain(`RUN mkdir ${EXPORT_SCRATCH} && chown node:node ${EXPORT_SCRATCH}`);
    expect(runtime).toContain(`VOLUME ${EXPORT_SCRATCH}`);
    expect(runtime.indexOf(`VOLUME ${EXPORT_SCRATCH}`)).toBeLessThan(runtime.indexOf('USER node'));
  });
});
