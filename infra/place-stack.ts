// The whole service on AWS: network, ElastiCache, Keyspaces, the HTTP Lambdas behind an ALB,
// the socket servers and the writers (POST /api/pixels) on Fargate, board snapshots, the restore and export tasks, CloudFront + S3 for the
// page, secrets, alarms and a dashboard.
import { Construct } from 'constructs';
import { CfnOutput, RemovalPolicy, Stack, type CfnElement, type StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { logBucket } from './log-bucket.ts';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import type { Settings } from './settings.ts';
import { Network } from './network.ts';
import { RedisCluster } from './redis-cluster.ts';
import { KeyspacesTables } from './keyspaces-tables.ts';
import { HttpFunctions } from './http-functions.ts';
import { SocketService } from './socket-service.ts';
import { BoardJobs } from './board-jobs.ts';
import { WriterService, writerUrl } from './writer-service.ts';
import { ExportJob } from './export-job.ts';
import { LoadBalancer } from './load-balancer.ts';
import { Cdn } from './cdn.ts';
import { Operations } from './operations.ts';
import { acknowledgeReviewedFindings } from './nag-suppressions.ts';

export interface PlaceStackProps extends StackProps {
  settings: Settings;
  webDir: string;
  webAclArn: string;
  viewerCertificate: acm.ICertificate | null;
}

export class PlaceStack extends Stack {
  /** Named rather than looked up, so synth needs no AWS account. */
  override get availabilityZones(): string[] {
    return [`${this.region}a`, `${this.region}b`];
  }

  readonly network: Network;
  readonly redis: RedisCluster;
  readonly keyspaces: KeyspacesTables;
  readonly functions: HttpFunctions;
  readonly sockets: SocketService;
  readonly jobs: BoardJobs;
  readonly writers: WriterService;
  readonly exportJob: ExportJob;
  readonly loadBalancer: LoadBalancer;
  readonly cdn: Cdn;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: PlaceStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const keyspace = `place_${settings.envName.replace(/-/g, '_')}`;

    this.network = new Network(this, 'Network', settings);
    this.redis = new RedisCluster(this, 'Redis', { vpc: this.network.vpc, securityGroup: this.network.redisSg, settings });
    this.keyspaces = new KeyspacesTables(this, 'Keyspaces', keyspace);
    const sessionSecret = new secrets.Secret(this, 'SessionSecret', {
      description: 'HMAC key of session tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });

    // Template images and timelapses (issue 12): private, served through CloudFront at /media/*.
    const media = new s3.Bucket(this, 'Media', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logBucket(this, 'MediaLogs', settings.logRetentionDays),
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.functions = new HttpFunctions(this, 'Http', {
      settings, vpc: this.network.vpc, securityGroup: this.network.lambdaSg, redisUrl: this.redis.url,
      redisAuth: this.redis.authToken, sessionSecret, keyspace, media,
    });
    this.sockets = new SocketService(this, 'Sockets', {
      settings, vpc: this.network.vpc, securityGroup: this.network.socketSg, redisUrl: this.redis.url, redisFeedUrl: this.redis.feedUrl,
      redisAuth: this.redis.authToken, writerUrl: writerUrl(settings.envName),
    });
    this.jobs = new BoardJobs(this, 'Jobs', {
      settings, vpc: this.network.vpc, functionSg: this.network.lambdaSg, restoreSg: this.network.restoreSg, cluster: this.sockets.cluster,
      redisUrl: this.redis.url, redisAuth: this.redis.authToken, keyspace, functions: this.functions.functions,
    });
    this.writers = new WriterService(this, 'Writers', {
      settings, vpc: this.network.vpc, securityGroup: this.network.writerSg, cluster: this.sockets.cluster, jobs: this.jobs,
      redisUrl: this.redis.url, redisAuth: this.redis.authToken, sessionSecret, keyspace, media,
    });
    this.exportJob = new ExportJob(this, 'Export', {
      settings, keyspace, securityGroup: this.network.exportSg, sessionSecret, media,
    });
    this.loadBalancer = new LoadBalancer(this, 'Alb', {
      settings, vpc: this.network.vpc, functions: this.functions.functions, sockets: this.sockets.service, socketSg: this.network.socketSg,
      writers: this.writers.service, writerSg: this.network.writerSg,
    });
    this.cdn = new Cdn(this, 'Cdn', {
      settings, vpc: this.network.vpc, alb: this.loadBalancer.alb, albPort: this.loadBalancer.port, webDir: props.webDir, webAclArn: props.webAclArn,
      viewerCertificate: props.viewerCertificate, media,
    });
    this.sockets.publishBoardsTo(this.cdn.site);
    this.operations = new Operations(this, 'Operations', {
      settings, functions: this.functions.functions, jobs: this.jobs, alb: this.loadBalancer.alb, redis: this.redis.group, sockets: this.sockets, writers: this.writers, keyspace,
      siteHost: this.cdn.siteHost,
    });

    new CfnOutput(this, 'Url', { value: `https://${this.cdn.siteHost}` });
    new CfnOutput(this, 'Keyspace', { value: keyspace });
    // What `aws ecs run-task` needs to start a restore by hand (docs/DEPLOY.md).
    new CfnOutput(this, 'SnapshotBucket', { value: this.jobs.bucket.bucketName });
    new CfnOutput(this, 'RestoreCluster', { value: this.sockets.cluster.clusterName });
    new CfnOutput(this, 'RestoreTaskDefinition', { value: this.jobs.restoreTask.family });
    new CfnOutput(this, 'RestoreSubnets', { value: this.network.vpc.privateSubnets.map((s) => s.subnetId).join(',') });
    new CfnOutput(this, 'RestoreSecurityGroup', { value: this.network.restoreSg.securityGroupId });
    // And an export (same cluster and subnets): where it writes, its task and its group.
    new CfnOutput(this, 'MediaBucket', { value: media.bucketName });
    new CfnOutput(this, 'ExportTaskDefinition', { value: this.exportJob.task.family });
    new CfnOutput(this, 'ExportSecurityGroup', { value: this.network.exportSg.securityGroupId });
    acknowledgeReviewedFindings(
      this,
      settings,
      this.getLogicalId(this.cdn.site.node.defaultChild as CfnElement),
      this.getLogicalId(this.operations.canary.artifacts.node.defaultChild as CfnElement),
      this.getLogicalId(this.jobs.bucket.node.defaultChild as CfnElement),
      this.getLogicalId(media.node.defaultChild as CfnElement),
    );
  }
}
