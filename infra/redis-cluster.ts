// ElastiCache (Valkey, node-based): TLS and an auth token on, private subnets only, reachable
// from the Lambdas', socket servers', writers' and restore task's security groups alone; snapshotted on delete.
import { Construct } from 'constructs';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Settings } from './settings.ts';
import { REDIS_SERVER_SETTINGS } from '../core/board-store/redis-server-settings.ts';

export class RedisCluster extends Construct {
  readonly group: elasticache.CfnReplicationGroup;
  readonly authToken: secrets.Secret;
  private readonly replicas: number;

  constructor(scope: Construct, id: string, props: { vpc: ec2.IVpc; securityGroup: ec2.ISecurityGroup; settings: Settings }) {
    super(scope, id);
    this.replicas = props.settings.redisReplicas;
    this.authToken = new secrets.Secret(this, 'AuthToken', {
      description: 'ElastiCache auth token',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'private subnets',
      subnetIds: props.vpc.privateSubnets.map((s) => s.subnetId),
    });
    // The engine's defaults, but for the settings the write path's cost depends on.
    const parameters = new elasticache.CfnParameterGroup(this, 'Parameters', {
      description: 'pixel board: the Redis settings of core/board-store/redis-server-settings.ts',
      cacheParameterGroupFamily: 'valkey8',
      properties: { ...REDIS_SERVER_SETTINGS },
    });
    this.group = new elasticache.CfnReplicationGroup(this, 'Group', {
      replicationGroupDescription: `pixel board live state (${props.settings.envName})`,
      engine: 'valkey',
      // 8.1 spends 5 % less Redis CPU a write than 8.0 when both are built alike (docs/PERFORMANCE.md,
      // "Valkey 8.1"). Same parameter family. ElastiCache upgrades a group by modifying it (reads
      // throughout, writes paused for a failover of a few seconds) and never downgrades one; how
      // CloudFormation applies the change is not verified here.
      engineVersion: '8.1',
      cacheParameterGroupName: parameters.ref,
      cacheNodeType: props.settings.redisNodeType,
      numCacheClusters: 1 + props.settings.redisReplicas,
      automaticFailoverEnabled: props.settings.redisReplicas > 0,
      multiAzEnabled: props.settings.redisReplicas > 0,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      authToken: this.authToken.secretValue.unsafeUnwrap(), // a CloudFormation dynamic reference, never the value
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [props.securityGroup.securityGroupId],
      snapshotRetentionLimit: 3,
      port: 6379,
    });
    // Deleting the stack (or replacing the group) leaves a final snapshot: the live cooldowns and
    // any placement not yet persisted survive a mistake.
    this.group.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
  }

  get url(): string {
    return `rediss://${this.group.attrPrimaryEndPointAddress}:${this.group.attrPrimaryEndPointPort}`;
  }

  /**
   * The reader endpoint, where socket servers subscribe to the update feed (REDIS_FEED_URL): the
   * primary then sends each batch once, to its replicas, however many socket tasks listen. Null
   * without replicas.
   */
  get feedUrl(): string | null {
    if (this.replicas === 0) return null;
    return `rediss://${this.group.attrReaderEndPointAddress}:${this.group.attrReaderEndPointPort}`;
  }
}
