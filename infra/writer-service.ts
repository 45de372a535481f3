// The writer service (issue 13): POST /api/pixels, the page's write path, served by long-lived
// Node processes on ECS Fargate (bin/writer.ts, the image's writer.mjs) instead of the write-pixel
// Lambda. A process serves many requests at once, so the writes reaching it within
// REDIS_WRITE_BATCH_MS share one Redis script call (core/board-store CallBatcher): about 16–20 µs
// of Redis CPU per write on a loaded Redis instead of 30–35 (docs/PERFORMANCE.md, "Redis cost per
// write"), which a function serving one request at a time cannot. Same handler, same settings and rights as the function.
import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { httpEnvironment, keyspacesAccess, type HttpEnvironmentProps } from './http-functions.ts';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { APP_SERVICE_DEPLOYMENT, appContainerOps, appImage, appNamespace, appTaskDefinition } from './socket-service.ts';
import type { BoardJobs } from './board-jobs.ts';

export const WRITER_PORT = 8082;
/** The writers' name in the cluster's namespace (Cloud Map: an A record per healthy task). */
export const WRITER_DNS_NAME = 'writers';
/** Where the socket servers reach the writers (their WRITER_URLS). */
export const writerUrl = (envName: string) => `http://${WRITER_DNS_NAME}.${appNamespace(envName)}:${WRITER_PORT}`;
export { WRITER_ROUTES } from '../lambdas/routes.ts';
/** The handler whose settings and rights a writer has. */
const HANDLER = 'write-pixel';
export const WRITER_COMMAND = ['node', 'writer.mjs'];
export const WRITER_CONTAINER = 'writer';
/**
 * How long a writer may wait for other writes to share its Redis call: 1 ms more than the local
 * runner's default, because the ALB splits the writes over two or more tasks, each holding only its
 * share. At 20,000 writes/s from two processes, 3 ms makes calls of 41–47 writes (29–39 at 2 ms;
 * one process at 2 ms: 50–52): 16.8–19.5 µs of Redis CPU a write at 200 subscribers instead of
 * 18.7–20.9 (docs/PERFORMANCE.md, "What a call pays once"). A write waits at most that long for its call.
 */
export const WRITER_BATCH_MS = 3;
/** A write is short: a stopping writer answers what it has within ~10 s of SIGTERM; SIGKILL comes later than that. */
export const WRITER_STOP_TIMEOUT_S = 30;
/** The ALB waits this long for a deregistered writer's requests before cutting them (they take milliseconds). */
export const WRITER_DEREGISTRATION_DELAY_S = 20;
/** Autoscaling keeps the tasks' average CPU about here. */
export const WRITER_CPU_TARGET_PERCENT = 50;

export interface WriterServiceProps extends HttpEnvironmentProps {
  vpc: ec2.IVpc;
  /** The writers' own group (Network.writerSg): it reaches Redis and the interface endpoints. */
  securityGroup: ec2.ISecurityGroup;
  /** The socket servers' cluster. */
  cluster: ecs.ICluster;
  /** The restore task, which a writer that finds the board missing starts. */
  jobs: BoardJobs;
}

export class WriterService extends Construct {
  readonly service: ecs.FargateService;
  readonly task: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: WriterServiceProps) {
    super(scope, id);
    const { settings } = props;
    this.serviceName = `place-${settings.envName}-writers`;
    this.task = appTaskDefinition(this, settings.writerCpu, settings.writerMemoryMb);
    this.container = this.task.addContainer(WRITER_CONTAINER, {
      image: appImage(),
      command: WRITER_COMMAND,
      portMappings: [{ containerPort: WRITER_PORT }],
      environment: {
        // The write-pixel function's settings (its logs and metrics carry the same `service`, so the alarms on placements see both)...
        ...httpEnvironment(this, props),
        PORT: String(WRITER_PORT),
        HOST: '0.0.0.0',
        // ...but a process serves many requests at once: writes within this window share one Redis call.
        REDIS_WRITE_BATCH_MS: String(WRITER_BATCH_MS),
      },
      ...appContainerOps(this, 'writer', WRITER_PORT, settings.logRetentionDays),
      stopTimeout: Duration.seconds(WRITER_STOP_TIMEOUT_S),
      readonlyRootFilesystem: true,
    });
    // Exactly the write-pixel function's rights: its secrets, Keyspaces (Modify on the placement tables only), the restore task.
    const role = this.task.taskRole;
    props.redisAuth.grantRead(role);
    props.sessionSecret.grantRead(role);
    for (const statement of keyspacesAccess(this, props.keyspace, HANDLER)) role.addToPrincipalPolicy(statement);
    props.jobs.letStartRestore(role, (name, value) => this.container.addEnvironment(name, value));

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: this.serviceName,
      cluster: props.cluster,
      taskDefinition: this.task,
      desiredCount: settings.writerMinTasks,
      securityGroups: [props.securityGroup],
      ...APP_SERVICE_DEPLOYMENT,
      // The socket servers send their clients' placements here (writerUrl). Their WriterPool looks the
      // name up again every 10 s (the TTL) and tries each address; a stopping writer closes their
      // kept-alive connections as it answers (bin/writer.ts).
      cloudMapOptions: { name: WRITER_DNS_NAME, dnsRecordType: servicediscovery.DnsRecordType.A, dnsTtl: Duration.seconds(10) },
    });
    const scaling = this.service.autoScaleTaskCount({ minCapacity: settings.writerMinTasks, maxCapacity: settings.writerMaxTasks });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: WRITER_CPU_TARGET_PERCENT, scaleOutCooldown: Duration.minutes(1), scaleInCooldown: Duration.minutes(5),
    });
  }
}
