// The socket servers on ECS Fargate, from the repository's Dockerfile: private subnets,
// reachable from the ALB only, scaled on CPU and on connections per task, drained before the
// load balancer cuts their sockets.
import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import type * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { PUBLISHED_PREFIX } from '../core/publish/published-board.ts';
import { CONNECTIONS_METRIC } from '../socket-server/socket-metrics.ts';
import { REPO_ROOT } from './http-functions.ts';
import type { Settings } from './settings.ts';

export const SOCKET_PORT = 8081;
/**
 * The stop sequence (docs/DEPLOY.md, "How a socket server stops"): ECS marks the task to stop and
 * deregisters it; the server sees that in its task metadata within STOP_POLL_MS and spreads its
 * clients' reconnects over DRAIN_MS while the ALB still carries them; the ALB completes the
 * deregistration as soon as no connection is left (at the latest after DEREGISTRATION_DELAY_S,
 * when it cuts what remains); only then does ECS send SIGTERM, and SIGKILL STOP_TIMEOUT_S later.
 */
export const DRAIN_MS = 60_000;
export const STOP_POLL_MS = 1000;
/** The drain window, the poll and the last clients' close handshakes, with room to spare. */
export const DEREGISTRATION_DELAY_S = DRAIN_MS / 1000 + 30;
/** Covers a whole drain in case SIGTERM is the first signal (Fargate allows at most 120 s). */
export const STOP_TIMEOUT_S = Math.min(120, DRAIN_MS / 1000 + 15);
export const METRICS_NAMESPACE = 'PixelBoard';
/** The cluster's private DNS namespace (Cloud Map), where its services find each other. */
export const appNamespace = (envName: string) => `place-${envName}.internal`;

/** The repository's Dockerfile, for arm64: the socket server by default, the restore job by command (infra/board-jobs.ts). */
export function appImage(): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(REPO_ROOT, { file: 'Dockerfile', platform: Platform.LINUX_ARM64 });
}

/** A task of the app image (socket server, writer) on ARM64 Fargate. */
export function appTaskDefinition(scope: Construct, cpu: number, memoryLimitMiB: number): ecs.FargateTaskDefinition {
  return new ecs.FargateTaskDefinition(scope, 'Task', {
    cpu,
    memoryLimitMiB,
    runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
  });
}

/** How a long-lived app service (socket servers, writers) deploys: new tasks healthy before old ones go, rolled back when they are not. */
export const APP_SERVICE_DEPLOYMENT = {
  minHealthyPercent: 100,
  maxHealthyPercent: 200,
  vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  circuitBreaker: { rollback: true },
  healthCheckGracePeriod: Duration.seconds(30),
} satisfies Partial<ecs.FargateServiceProps>;

/** What a long-lived app container (socket server, writer) logs to and how ECS checks it: its own log group, GET /healthz on its port. */
export function appContainerOps(scope: Construct, streamPrefix: string, port: number, retentionDays: Settings['logRetentionDays']):
  Pick<ecs.ContainerDefinitionOptions, 'logging' | 'healthCheck'> {
  return {
    logging: ecs.LogDrivers.awsLogs({ streamPrefix, logGroup: new logs.LogGroup(scope, 'Logs', { retention: retentionDays }) }),
    healthCheck: {
      command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${port}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
      interval: Duration.seconds(15),
      timeout: Duration.seconds(3),
      retries: 3,
      startPeriod: Duration.seconds(10),
    },
  };
}

export interface SocketServiceProps {
  settings: Settings;
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
  redisUrl: string;
  /** A replica's endpoint for the update feed (REDIS_FEED_URL); null: the primary. */
  redisFeedUrl: string | null;
  redisAuth: secrets.ISecret;
  /** Where the socket servers send their clients' placements: the writer service (writerUrl). */
  writerUrl: string;
}

export class SocketService extends Construct {
  readonly service: ecs.FargateService;
  private readonly task: ecs.FargateTaskDefinition;
  private readonly container: ecs.ContainerDefinition;
  readonly cluster: ecs.Cluster;
  readonly connectionsMetric: cloudwatch.Metric;
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: SocketServiceProps) {
    super(scope, id);
    const { settings } = props;
    this.serviceName = `place-${settings.envName}-sockets`;
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: props.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    // Private DNS for the services in the cluster: the writers register in it (infra/writer-service.ts).
    this.cluster.addDefaultCloudMapNamespace({ name: appNamespace(settings.envName), vpc: props.vpc });
    const task = appTaskDefinition(this, settings.socketCpu, settings.socketMemoryMb);
    this.task = task;
    this.container = task.addContainer('socket-server', {
      image: appImage(),
      portMappings: [{ containerPort: SOCKET_PORT }],
      environment: {
        PORT: String(SOCKET_PORT),
        HOST: '0.0.0.0',
        BOARD_WIDTH: String(settings.boardWidth),
        BOARD_HEIGHT: String(settings.boardHeight),
        COOLDOWN_MS: String(settings.cooldownMs),
        REDIS_URL: props.redisUrl,
        REDIS_AUTH_SECRET_ARN: props.redisAuth.secretArn,
        ...(props.redisFeedUrl ? { REDIS_FEED_URL: props.redisFeedUrl } : {}),
        // Placements over a socket go to the writers (Cloud Map's name for them), where they share Redis calls with the page's.
        WRITER_URLS: props.writerUrl,
        // Only CloudFront's VPC origin reaches the ALB: the viewer address it adds is the one to trust.
        CLIENT_ADDRESS_SOURCE: 'cloudfront',
        SOCKET_DRAIN_MS: String(DRAIN_MS),
        SOCKET_STOP_POLL_MS: String(STOP_POLL_MS),
        SOCKET_CONNECTIONS_PER_IP: '50',
        SOCKET_METRICS_NAMESPACE: METRICS_NAMESPACE,
        SOCKET_SERVICE_NAME: this.serviceName,
      },
      ...appContainerOps(this, 'socket', SOCKET_PORT, settings.logRetentionDays),
      stopTimeout: Duration.seconds(STOP_TIMEOUT_S),
      readonlyRootFilesystem: true,
    });
    props.redisAuth.grantRead(task.taskRole);

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: this.serviceName,
      cluster: this.cluster,
      taskDefinition: task,
      desiredCount: settings.socketMinTasks,
      securityGroups: [props.securityGroup],
      ...APP_SERVICE_DEPLOYMENT,
    });

    this.connectionsMetric = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: CONNECTIONS_METRIC,
      // Powertools Metrics names the service in the `service` dimension (socket-server/socket-metrics.ts).
      dimensionsMap: { service: this.serviceName },
      statistic: 'Average',
      period: Duration.minutes(1),
    });
    const scaling = this.service.autoScaleTaskCount({ minCapacity: settings.socketMinTasks, maxCapacity: settings.socketMaxTasks });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60, scaleOutCooldown: Duration.minutes(1), scaleInCooldown: Duration.minutes(10) });
    scaling.scaleToTrackCustomMetric('ConnectionsPerTask', {
      metric: this.connectionsMetric,
      targetValue: settings.connectionsPerTask,
      scaleOutCooldown: Duration.minutes(1),
      scaleInCooldown: Duration.minutes(10),
    });
  }

  /**
   * The socket servers publish the board (core/service/board-publisher.ts) into the bucket the
   * page is served from, under boards/, where CloudFront serves it: they may put objects there
   * and nowhere else.
   */
  publishBoardsTo(bucket: s3.IBucket): void {
    this.container.addEnvironment('BOARD_PUBLISH_BUCKET', bucket.bucketName);
    this.task.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PublishBoards', actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${PUBLISHED_PREFIX}*`)],
    }));
  }
}
