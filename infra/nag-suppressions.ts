// cdk-nag (AwsSolutions) findings we accept, each with the reason. cdk-nag v3 acknowledges
// findings one by one (no prefix matching), so wildcard findings are listed exactly.
import { Validations, type Stack } from 'aws-cdk-lib';
import { SNAPSHOT_PREFIX } from './board-jobs.ts';
import { EXPORT_OBJECTS } from './export-job.ts';
import { PUBLISHED_PREFIX } from '../core/publish/published-board.ts';

export function acknowledgeReviewedFindings(
  stack: Stack, where: { account: string; region: string; envName: string }, siteBucketLogicalId: string, canaryArtifactsLogicalId: string,
  snapshotBucketLogicalId: string, mediaBucketLogicalId: string,
): void {
  const keyspaceSystemArn = `arn:<AWS::Partition>:cassandra:${where.region}:${where.account}:/keyspace/system*`;
  const managed = (name: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}]`;
  const wildcard = (what: string) => `AwsSolutions-IAM5[${what}]`;
  Validations.of(stack).acknowledge(
    { id: managed('AWSLambdaBasicExecutionRole'), reason: 'The minimal managed policy for a function to write its logs.' },
    { id: managed('AWSLambdaVPCAccessExecutionRole'), reason: 'The minimal managed policy for a function in a VPC to manage its ENIs.' },
    { id: wildcard(`Resource::${keyspaceSystemArn}`), reason: 'Every Cassandra driver reads the system keyspaces (system, system_schema, …) on connect; Keyspaces names them only by this prefix.' },
    { id: wildcard('Resource::*'), reason: 'ecr:GetAuthorizationToken (task execution) and the CDK custom-resource providers; neither can be scoped to a resource.' },
    { id: wildcard(`Resource::<${siteBucketLogicalId}.Arn>/*`), reason: 'The web deployment and bucket auto-delete custom resources manage every object of the site bucket.' },
    ...['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*'].map((a) => ({
      id: wildcard(a), reason: 'CDK BucketDeployment copies the built page from the CDK asset bucket into the site bucket.',
    })),
    { id: wildcard(`Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${where.account}-${where.region}/*`), reason: 'CDK BucketDeployment reads the page from the CDK asset bucket.' },
    { id: wildcard(`Resource::<${mediaBucketLogicalId}.Arn>/media/*`), reason: 'Template images and timelapses are new objects under media/ in the media bucket, named by id or by a hash of their parameters.' },
    { id: wildcard(`Resource::<${mediaBucketLogicalId}.Arn>/${EXPORT_OBJECTS}*`), reason: 'The export task puts each archive as new objects under media/export/<time>/ (a new folder a run), and nowhere else in the media bucket.' },
    { id: wildcard(`Resource::<${siteBucketLogicalId}.Arn>/${PUBLISHED_PREFIX}*`), reason: 'The socket servers put each published board as a new object under boards/ (named by epoch, seq and size), and nowhere else in the site bucket.' },
    { id: wildcard(`Resource::<${canaryArtifactsLogicalId}.Arn>/*`), reason: 'The canary writes each run\'s report and logs as new objects in its own artifacts bucket.' },
    { id: wildcard(`Resource::<${snapshotBucketLogicalId}.Arn>/${SNAPSHOT_PREFIX}*`), reason: 'Snapshots are new objects under the snapshots prefix (one a snapshot, named by its seq): the snapshot function puts them, the restore task reads them; nothing else in the bucket.' },
    { id: wildcard(`Resource::arn:<AWS::Partition>:ecs:${where.region}:${where.account}:task-definition/place-${where.envName}-restore:*`), reason: 'ecs:RunTask by family runs its latest revision, so the grant covers every revision of the restore task family and nothing else (and only in the cluster named by the ecs:cluster condition).' },
    { id: wildcard(`Resource::arn:<AWS::Partition>:logs:${where.region}:${where.account}:log-group:/aws/lambda/cwsyn-*`), reason: 'CloudWatch Synthetics names the canary\'s log group cwsyn-<name>-<generated id>; CDK scopes the canary role to that prefix.' },
  );
  Validations.of(stack).acknowledge(...[
    { id: 'AwsSolutions-L1', reason: 'Our functions use Node 24 (current); the flagged ones are CDK-managed custom-resource handlers whose runtime CDK chooses.' },
    { id: 'AwsSolutions-SMG4', reason: 'The session HMAC key and the ElastiCache auth token have no rotation Lambda; rotating either logs every user out or needs a coordinated AUTH change. Rotate by redeploying with a new secret.' },
    { id: 'AwsSolutions-CFR1', reason: 'A public board: no geographic restriction.' },
    { id: 'AwsSolutions-CFR4', reason: 'The default *.cloudfront.net certificate has a fixed TLSv1 policy; a custom domain (see docs/DEPLOY.md) brings its own certificate and TLSv1.2_2021.' },
    { id: 'AwsSolutions-CFR5', reason: 'Without a custom domain the VPC origin carries HTTP inside its private connection to the internal ALB (no name a certificate could carry); with one (context domainName) the origin is HTTPS only.' },
    { id: 'AwsSolutions-ECS2', reason: 'Container environment holds only non-secret settings; secrets are fetched from Secrets Manager by ARN at start.' },
    { id: 'AwsSolutions-S1', reason: 'The log buckets themselves do not log access (that would recurse).' },
    { id: 'AwsSolutions-AEC5', reason: 'Port 6379 is the port every Redis client expects; the security group admits only the app.' },
  ]);
}
