// Board snapshots and restores in AWS (issue 9, item 4): a private, retained S3 bucket of
// snapshots; a function that takes one every snapshotEveryMinutes (an EventBridge rule); and the
// restore job, `bin/rebuild.ts` as a Fargate task, which the functions that find the live board
// missing start (ECS RunTask) and never wait on. Each has the rights it needs and no more.
import { Construct } from 'constructs';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { FUNCTIONS_SERVICE, HISTORY_READERS, appFunction, RESTORE_TRIGGERS, keyspacesReadWrite, lambdaBundling, storeEnvironment, type HttpFunction, type StoreSettings } from './http-functions.ts';
import { METRICS_NAMESPACE, appImage } from './socket-service.ts';
import { logBucket } from './log-bucket.ts';

/** Where snapshots go in the bucket (SNAPSHOT_PREFIX; core/config.ts has the same default). */
export const SNAPSHOT_PREFIX = 'snapshots/';
/** The scheduled functions: one a file in lambdas/jobs/. */
export const JOB_FUNCTIONS = ['take-snapshot'] as const;
/** The restore task: the image's rebuild.mjs (Dockerfile), restoring only a missing board (bin/rebuild.ts). */
export const RESTORE_COMMAND = ['node', 'rebuild.mjs', '--if-missing'];
export const RESTORE_CONTAINER = 'restore';
export const RESTORE_ERRORS_METRIC = 'RestoreErrors';
/** A restore holds one board (8 MB at most, 4096 × 4096) and the users of one cooldown and snapshot interval: room to spare (not measured). */
const RESTORE_CPU = 1024;
const RESTORE_MEMORY_MB = 2048;

export interface BoardJobsProps extends StoreSettings {
  vpc: ec2.IVpc;
  /** The snapshot function's group (the functions' one: it reaches Redis and the endpoints). */
  functionSg: ec2.ISecurityGroup;
  /** The restore task's group (Redis and the endpoints admit it). */
  restoreSg: ec2.ISecurityGroup;
  /** The cluster restore tasks run in (the socket servers'). */
  cluster: ecs.ICluster;
  /** The HTTP functions: those in RESTORE_TRIGGERS may start the restore task. */
  functions: HttpFunction[];
}

export class BoardJobs extends Construct {
  readonly bucket: s3.Bucket;
  readonly snapshotFunction: NodejsFunction;
  readonly schedule: events.Rule;
  readonly restoreTask: ecs.FargateTaskDefinition;
  readonly restoreLogs: logs.LogGroup;
  /** Error lines of the restore job (alarmed in infra/operations.ts). */
  readonly restoreErrors: logs.MetricFilter;
  private readonly restoreStart: { familyArn: string; roles: string[]; environment: Record<string, string>; clusterArn: string };

  constructor(scope: Construct, id: string, props: BoardJobsProps) {
    super(scope, id);
    const { settings } = props;
    const stack = Stack.of(this);
    const subnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    // Retained: the snapshots are the history of an event, which must outlive a teardown.
    this.bucket = new s3.Bucket(this, 'Snapshots', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logBucket(this, 'SnapshotAccessLogs', settings.logRetentionDays),
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const snapshotObjects = this.bucket.arnForObjects(`${SNAPSHOT_PREFIX}*`);
    const snapshotEnvironment = { SNAPSHOT_BUCKET: this.bucket.bucketName, SNAPSHOT_PREFIX };

    // The snapshot function: reads the live board, persists what is pending, puts the snapshot.
    const every = Duration.minutes(settings.snapshotEveryMinutes);
    this.snapshotFunction = new NodejsFunction(this, 'take-snapshot', {
      functionName: `place-${settings.envName}-take-snapshot`,
      description: `lambdas/jobs/take-snapshot.ts: a board snapshot every ${settings.snapshotEveryMinutes} min`,
      ...appFunction('jobs/take-snapshot.ts', settings.lambdaMemoryMb),
      timeout: Duration.seconds(60),
      // Lambda retries a failed run; one later than the next scheduled run is worth nothing.
      retryAttempts: 2,
      maxEventAge: every,
      vpc: props.vpc,
      vpcSubnets: subnets,
      securityGroups: [props.functionSg],
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...storeEnvironment(this, props),
        ...snapshotEnvironment,
        POWERTOOLS_SERVICE_NAME: FUNCTIONS_SERVICE,
      },
      logGroup: new logs.LogGroup(this, 'take-snapshot-logs', { retention: settings.logRetentionDays }),
      bundling: lambdaBundling(),
    });
    props.redisAuth.grantRead(this.snapshotFunction);
    for (const statement of keyspacesReadWrite(this, props.keyspace)) this.snapshotFunction.addToRolePolicy(statement);
    this.snapshotFunction.addToRolePolicy(new iam.PolicyStatement({ sid: 'PutSnapshots', actions: ['s3:PutObject'], resources: [snapshotObjects] }));
    this.schedule = new events.Rule(this, 'SnapshotSchedule', {
      description: `A board snapshot every ${settings.snapshotEveryMinutes} min`,
      schedule: events.Schedule.rate(every),
      targets: [new targets.LambdaFunction(this.snapshotFunction)],
    });

    // The restore task: the socket servers' image, running rebuild.mjs.
    this.restoreLogs = new logs.LogGroup(this, 'RestoreLogs', { retention: settings.logRetentionDays });
    this.restoreTask = new ecs.FargateTaskDefinition(this, 'RestoreTask', {
      // A fixed family: the functions run its latest revision by name, so a deploy never leaves them a stale one.
      family: `place-${settings.envName}-restore`,
      cpu: RESTORE_CPU,
      memoryLimitMiB: RESTORE_MEMORY_MB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    this.restoreTask.addContainer(RESTORE_CONTAINER, {
      image: appImage(),
      command: RESTORE_COMMAND,
      environment: { ...storeEnvironment(this, props), ...snapshotEnvironment, LOG_LEVEL: 'info' },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'restore', logGroup: this.restoreLogs }),
      readonlyRootFilesystem: true,
    });
    const taskRole = this.restoreTask.taskRole;
    props.redisAuth.grantRead(taskRole);
    for (const statement of keyspacesReadWrite(this, props.keyspace)) taskRole.addToPrincipalPolicy(statement);
    taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadSnapshots', actions: ['s3:GetObject'], resources: [snapshotObjects] }));
    taskRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ListSnapshots', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${SNAPSHOT_PREFIX}*`] } },
    }));

    // The history functions (board.png?at=, the snapshot list, timelapses, heatmaps) list and read snapshots.
    for (const { fn } of props.functions.filter((f) => HISTORY_READERS.has(f.route.name))) {
      for (const [name, value] of Object.entries(snapshotEnvironment)) fn.addEnvironment(name, value);
      fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadSnapshots', actions: ['s3:GetObject'], resources: [snapshotObjects] }));
      fn.addToRolePolicy(new iam.PolicyStatement({
        sid: 'ListSnapshots', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${SNAPSHOT_PREFIX}*`] } },
      }));
    }

    // The functions that find the board missing start the task (so do the writer tasks: infra/writer-service.ts).
    this.restoreStart = {
      familyArn: stack.formatArn({ service: 'ecs', resource: 'task-definition', resourceName: `${this.restoreTask.family}:*` }),
      roles: [taskRole.roleArn, this.restoreTask.obtainExecutionRole().roleArn],
      environment: {
        REBUILD_JOB: 'ecs',
        REBUILD_TASK_CLUSTER: props.cluster.clusterArn,
        REBUILD_TASK_DEFINITION: this.restoreTask.family,
        REBUILD_TASK_SUBNETS: props.vpc.selectSubnets(subnets).subnetIds.join(','),
        REBUILD_TASK_SECURITY_GROUPS: props.restoreSg.securityGroupId,
      },
      clusterArn: props.cluster.clusterArn,
    };
    for (const { fn } of props.functions.filter((f) => RESTORE_TRIGGERS.has(f.route.name))) {
      this.letStartRestore(fn.grantPrincipal, (name, value) => fn.addEnvironment(name, value));
    }

    // The restore job logs one JSON line at level error when it fails (bin/rebuild.ts, core/service/rebuild.ts).
    this.restoreErrors = new logs.MetricFilter(this, 'RestoreErrors', {
      logGroup: this.restoreLogs,
      filterPattern: logs.FilterPattern.stringValue('$.level', '=', 'error'),
      metricNamespace: METRICS_NAMESPACE,
      metricName: RESTORE_ERRORS_METRIC,
      metricValue: '1',
    });
  }

  /**
   * What a process that finds the board missing needs to start the restore task (core/service/rebuild.ts,
   * REBUILD_JOB=ecs): the REBUILD_* settings, ecs:RunTask of the restore family in this cluster only, and
   * iam:PassRole of its two roles to ECS only.
   */
  letStartRestore(principal: iam.IPrincipal, addEnvironment: (name: string, value: string) => void): void {
    const { familyArn, roles, environment, clusterArn } = this.restoreStart;
    for (const [name, value] of Object.entries(environment)) addEnvironment(name, value);
    principal.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'StartRestoreTask', actions: ['ecs:RunTask'], resources: [familyArn],
      conditions: { ArnEquals: { 'ecs:cluster': clusterArn } },
    }));
    principal.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PassRestoreRoles', actions: ['iam:PassRole'], resources: roles,
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }));
  }
}
