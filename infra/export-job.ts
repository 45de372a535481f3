// The event archive in AWS (issue 12): `npm run export` as a Fargate task run by hand (docs/DEPLOY.md),
// the app image's export.mjs (bin/export.ts bundled). It reads the journal from Keyspaces and the
// session secret (the key of the users' exportId), writes the archive to a scratch volume, and
// puts it in the media bucket under media/export/<time>/, where CloudFront serves it at
// /media/export/<time>/. It needs no Redis: the journal is the whole event.
import { Construct } from 'constructs';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import { EXPORT_PREFIX } from '../core/archive/export.ts';
import { MEDIA_PREFIX, journalEnvironment, keyspacesArns, type StoreSettings } from './http-functions.ts';
import { appImage } from './socket-service.ts';

/** The export task's command: the image's export.mjs (Dockerfile). */
export const EXPORT_COMMAND = ['node', 'export.mjs'];
export const EXPORT_CONTAINER = 'export';
/** Where the archive goes in the media bucket (bin/export.ts: MEDIA_PREFIX + EXPORT_PREFIX + <time>/). */
export const EXPORT_OBJECTS = `${MEDIA_PREFIX}${EXPORT_PREFIX}`;
/** The task's writable folder (DATA_DIR): a VOLUME of the image owned by its user (Dockerfile), on the task's ephemeral storage. */
export const EXPORT_SCRATCH = '/data';
/**
 * The export holds the whole-event timelapse's frames (120 MB at most, TIMELAPSE_LIMITS), one
 * entry per user, and reads each file back whole to hash it (the CSV is the largest, ~70 bytes a
 * placement): 4 GB holds tens of millions of placements (an estimate, not measured).
 */
const EXPORT_CPU = 1024;
const EXPORT_MEMORY_MB = 4096;

export interface ExportJobProps extends Pick<StoreSettings, 'settings' | 'keyspace'> {
  /** Its own group: the Keyspaces and Secrets Manager endpoints admit it, Redis does not (infra/network.ts). */
  securityGroup: ec2.ISecurityGroup;
  /** The HMAC key of session tokens, from which the export's user hash is derived (core/community/export-id.ts). */
  sessionSecret: secrets.ISecret;
  /** The media bucket (template images, timelapses), served at /media/*. */
  media: s3.IBucket;
}

export class ExportJob extends Construct {
  readonly task: ecs.FargateTaskDefinition;
  readonly logs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ExportJobProps) {
    super(scope, id);
    const { settings } = props;
    this.logs = new logs.LogGroup(this, 'Logs', { retention: settings.logRetentionDays });
    this.task = new ecs.FargateTaskDefinition(this, 'Task', {
      family: `place-${settings.envName}-export`,
      cpu: EXPORT_CPU,
      memoryLimitMiB: EXPORT_MEMORY_MB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      // No host path: the task's ephemeral storage (20 GiB), gone when the task stops.
      volumes: [{ name: 'scratch' }],
    });
    const container = this.task.addContainer(EXPORT_CONTAINER, {
      image: appImage(),
      command: EXPORT_COMMAND,
      environment: {
        // The board and the journal; no Redis (the export reads only the journal).
        ...journalEnvironment(this, props),
        SESSION_SECRET_ARN: props.sessionSecret.secretArn,
        MEDIA_BUCKET: props.media.bucketName,
        MEDIA_PREFIX,
        DATA_DIR: EXPORT_SCRATCH,
        LOG_LEVEL: 'info',
      },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'export', logGroup: this.logs }),
      readonlyRootFilesystem: true,
    });
    container.addMountPoints({ sourceVolume: 'scratch', containerPath: EXPORT_SCRATCH, readOnly: false });

    // Read the session secret, select from the tables (and the system keyspaces every driver reads
    // on connect), put new objects under media/export/: nothing else.
    const role = this.task.taskRole;
    props.sessionSecret.grantRead(role);
    const keyspaces = keyspacesArns(this, props.keyspace);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'KeyspacesRead', actions: ['cassandra:Select'], resources: [...keyspaces.tables, keyspaces.system] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'PutExport', actions: ['s3:PutObject'], resources: [props.media.arnForObjects(`${EXPORT_OBJECTS}*`)] }));
  }
}
