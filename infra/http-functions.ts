// One Lambda per HTTP function (lambdas/<name>.ts, bundled by esbuild from the same files the
// local runner uses), with least-privilege access to Keyspaces, Redis and its secrets.
import path from 'node:path';
import { Construct } from 'constructs';
import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { ROUTES, type Route } from '../lambdas/routes.ts';
import { TABLES } from '../core/pixel-log/cassandra-schema.ts';
import type { Settings } from './settings.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** esbuild settings of every function, shared with the bundle test (infra/lambda-bundle.test.ts). */
export const LAMBDA_BUNDLE = {
  target: 'node24',
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  /** The Node 24 runtime has AWS SDK v3; sharp is external except in the PNG function. */
  external: ['@aws-sdk/*'],
  // The Keyspaces SigV4 plugin needs only the credential chain of AWS SDK v2, which
  // aws-sdk/global holds: the bundle is ~1 MB instead of ~10 MB.
  alias: { 'aws-sdk': 'aws-sdk/global' },
  /** Minified, but class names kept: errors are logged by name (StoreUnavailableError, not "Zt"). */
  keepNames: true,
};

/** What every function of the app shares: built from `lambdas/<file>` of this repo, on Node 24 ARM. */
export function appFunction(file: string, memorySize: number) {
  return {
    entry: path.join(REPO_ROOT, 'lambdas', file),
    handler: 'handler',
    projectRoot: REPO_ROOT,
    depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize,
  };
}

/** esbuild options of a function (NodejsFunction `bundling`); sharp only where it is used (the drawing functions). */
export function lambdaBundling(withSharp = false): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: LAMBDA_BUNDLE.target,
    minify: true,
    keepNames: LAMBDA_BUNDLE.keepNames,
    sourceMap: true,
    mainFields: ['module', 'main'],
    banner: LAMBDA_BUNDLE.banner,
    // sharp is a native module: only the drawing functions install it, as its linux-arm64 build.
    externalModules: [...LAMBDA_BUNDLE.external, ...(withSharp ? [] : ['sharp'])],
    nodeModules: withSharp ? ['sharp'] : [],
    esbuildArgs: Object.fromEntries(Object.entries(LAMBDA_BUNDLE.alias).map(([from, to]) => [`--alias:${from}`, to])),
    environment: withSharp ? { npm_config_os: 'linux', npm_config_cpu: 'arm64', npm_config_libc: 'glibc' } : {},
  };
}

/** The Keyspaces resources of the keyspace's tables, and of the system keyspaces every driver reads on connect. */
export function keyspacesArns(scope: Construct, keyspace: string): { tables: string[]; system: string } {
  const stack = Stack.of(scope);
  const base = `arn:${stack.partition}:cassandra:${stack.region}:${stack.account}:/keyspace`;
  return { tables: TABLES.map((t) => keyspacesTableArn(scope, keyspace, t.name)), system: `${base}/system*` };
}

export function keyspacesTableArn(scope: Construct, keyspace: string, table: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:cassandra:${stack.region}:${stack.account}:/keyspace/${keyspace}/table/${table}`;
}

/** Select on the tables and system keyspaces, Modify on the tables: what persisting and replaying placements needs. */
export function keyspacesReadWrite(scope: Construct, keyspace: string): iam.PolicyStatement[] {
  const arns = keyspacesArns(scope, keyspace);
  return [
    new iam.PolicyStatement({ sid: 'KeyspacesRead', actions: ['cassandra:Select'], resources: [...arns.tables, arns.system] }),
    new iam.PolicyStatement({ sid: 'KeyspacesWrite', actions: ['cassandra:Modify'], resources: arns.tables }),
  ];
}

export interface StoreSettings {
  settings: Settings;
  redisUrl: string;
  redisAuth: secrets.ISecret;
  keyspace: string;
}

/** The board and the journal (Keyspaces), as every process that reads them reads them (core/config.ts). */
export function journalEnvironment(scope: Construct, props: Pick<StoreSettings, 'settings' | 'keyspace'>): Record<string, string> {
  const stack = Stack.of(scope);
  return {
    BOARD_WIDTH: String(props.settings.boardWidth),
    BOARD_HEIGHT: String(props.settings.boardHeight),
    CASSANDRA_CONTACT_POINTS: `cassandra.${stack.region}.${stack.urlSuffix}`,
    CASSANDRA_FLAVOUR: 'keyspaces',
    CASSANDRA_KEYSPACE: props.keyspace,
  };
}

/** The board and the stores, as every process that touches them reads them (core/config.ts). */
export function storeEnvironment(scope: Construct, props: StoreSettings): Record<string, string> {
  return {
    ...journalEnvironment(scope, props),
    COOLDOWN_MS: String(props.settings.cooldownMs),
    REDIS_URL: props.redisUrl,
    REDIS_AUTH_SECRET_ARN: props.redisAuth.secretArn,
  };
}

const PLACEMENT_TABLES = ['pixel_history', 'placements_by_seq', 'placements_by_area', 'user_placements'];
const MODERATION_RECORD = ['moderation_state', 'audit_log'];
/**
 * The tables each writing function may modify (least privilege): functions that may rebuild the
 * board persist pending placements; moderators' board changes write placements, their record and
 * the audit log; other moderation changes only the moderation record and the audit log.
 */
export const KEYSPACES_WRITE_TABLES: Readonly<Record<string, readonly string[]>> = {
  'write-pixel': PLACEMENT_TABLES,
  'get-board': PLACEMENT_TABLES,
  'get-board-png': PLACEMENT_TABLES,
  'admin-rollback': [...PLACEMENT_TABLES, 'rollbacks', ...MODERATION_RECORD],
  'admin-rollback-undo': [...PLACEMENT_TABLES, 'rollbacks', ...MODERATION_RECORD],
  'admin-fill': [...PLACEMENT_TABLES, 'rollbacks', ...MODERATION_RECORD],
  ...Object.fromEntries(['admin-protected-put', 'admin-protected-delete', 'admin-ban-put', 'admin-ban-delete', 'admin-ip-ban-put', 'admin-ip-ban-delete',
    'admin-board', 'admin-role-put', 'admin-role-delete'].map((name) => [name, MODERATION_RECORD])),
  'admin-report-resolve': ['reports', ...MODERATION_RECORD],
  'create-report': ['reports'],
  'create-template': ['templates'],
};
/** Functions that write to Keyspaces at all. */
export const KEYSPACES_WRITERS = new Set(Object.keys(KEYSPACES_WRITE_TABLES));
/** Functions that find out when the live board is missing (they call ensureBoard) and then start the restore task. */
export const RESTORE_TRIGGERS = new Set(['write-pixel', 'get-board', 'get-board-png']);
/** Functions that answer about the past from board snapshots: they read the snapshot bucket (infra/board-jobs.ts). */
export const HISTORY_READERS = new Set(['get-board-png', 'get-history', 'get-timelapse', 'get-heatmap']);
/** Functions that draw with sharp (a native module, shipped only with them). */
export const SHARP_FUNCTIONS = new Set(['get-board-png', 'create-template', 'get-timelapse', 'get-heatmap', 'admin-rollback']);
/** Functions that read or write stored media (MEDIA_BUCKET): template images, timelapses. */
const MEDIA_WRITERS = new Set(['create-template', 'get-timelapse', 'get-template']);
const MEDIA_READERS = new Set(['get-template-png']);
/**
 * Functions whose latency users feel on every action: provisioned concurrency applies to them.
 * Not write-pixel: every write goes to the writer tasks (infra/writer-service.ts), the page's
 * through the ALB and the socket servers' directly; nothing calls the function.
 */
const HOT = new Set(['get-board']);

/** POWERTOOLS_SERVICE_NAME of every function: the `service` dimension of their metrics (infra/operations.ts alarms on it). */
export const FUNCTIONS_SERVICE = 'pixel-board';

/** Where stored media live in the media bucket (MEDIA_PREFIX), served by CloudFront at /media/* (infra/cdn.ts). */
export const MEDIA_PREFIX = 'media/';

export interface HttpEnvironmentProps extends StoreSettings {
  sessionSecret: secrets.ISecret;
  /** Template images and timelapses (issue 12). */
  media?: s3.IBucket;
}

export interface HttpFunctionsProps extends HttpEnvironmentProps {
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
}

/**
 * The environment of every HTTP handler (core/config.ts), in a function or in the writer tasks
 * (infra/writer-service.ts), which run the write-pixel handler with the same settings.
 */
export function httpEnvironment(scope: Construct, props: HttpEnvironmentProps): Record<string, string> {
  return {
    NODE_OPTIONS: '--enable-source-maps',
    ...storeEnvironment(scope, props),
    SESSION_SECRET_ARN: props.sessionSecret.secretArn,
    // A function serves one request at a time: no other write could share its Redis call, so it does not wait for one.
    REDIS_WRITE_BATCH_MS: '0',
    // Only CloudFront's VPC origin reaches the ALB: the viewer address (and protocol) it adds is the one to trust.
    CLIENT_ADDRESS_SOURCE: 'cloudfront',
    // Logs and EMF metrics (lambdas/http/lambda-telemetry.ts): the `service` dimension of every metric.
    POWERTOOLS_SERVICE_NAME: FUNCTIONS_SERVICE,
    // Stored media under media/, which CloudFront serves at /media/* (infra/cdn.ts).
    ...(props.media ? { MEDIA_BUCKET: props.media.bucketName, MEDIA_PREFIX, MEDIA_URL: '/media/' } : {}),
  };
}

/** Keyspaces for the handler `name` (least privilege): Select everywhere it reads, Modify on its KEYSPACES_WRITE_TABLES only. */
export function keyspacesAccess(scope: Construct, keyspace: string, name: string): iam.PolicyStatement[] {
  const [read] = keyspacesReadWrite(scope, keyspace);
  const writes = KEYSPACES_WRITE_TABLES[name];
  return writes
    ? [read!, new iam.PolicyStatement({ sid: 'KeyspacesWrite', actions: ['cassandra:Modify'], resources: writes.map((t) => keyspacesTableArn(scope, keyspace, t)) })]
    : [read!];
}

export interface HttpFunction {
  route: Route;
  fn: NodejsFunction;
  /** What the ALB invokes: the function, or its alias when provisioned concurrency is on. */
  target: lambda.IFunction;
}

export class HttpFunctions extends Construct {
  readonly functions: HttpFunction[] = [];

  constructor(scope: Construct, id: string, props: HttpFunctionsProps) {
    super(scope, id);
    const { settings } = props;
    const environment = httpEnvironment(this, props);

    // One log group for every HTTP function (Lambda names the function in each stream, and
    // Powertools in each line's function_name): a group each would cost 47 of the stack's 500 resources.
    const logGroup = new logs.LogGroup(this, 'FunctionLogs', { retention: settings.logRetentionDays });
    for (const route of ROUTES) {
      const png = SHARP_FUNCTIONS.has(route.name);
      const fn = new NodejsFunction(this, route.name, {
        functionName: `place-${settings.envName}-${route.name}`,
        description: `lambdas/${route.name}.ts: ${route.method} ${route.path}`,
        ...appFunction(`${route.name}.ts`, settings.lambdaMemoryMb),
        timeout: Duration.seconds(15),
        vpc: props.vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [props.securityGroup],
        environment,
        reservedConcurrentExecutions: route.name === 'write-pixel' && settings.writeReservedConcurrency > 0 ? settings.writeReservedConcurrency : undefined,
        logGroup,
        bundling: lambdaBundling(png),
      });
      props.redisAuth.grantRead(fn);
      if (props.media && MEDIA_WRITERS.has(route.name)) props.media.grantReadWrite(fn, `${MEDIA_PREFIX}*`);
      else if (props.media && MEDIA_READERS.has(route.name)) props.media.grantRead(fn, `${MEDIA_PREFIX}*`);
      props.sessionSecret.grantRead(fn);
      for (const statement of keyspacesAccess(this, props.keyspace, route.name)) fn.addToRolePolicy(statement);
      const provisioned = HOT.has(route.name) && settings.provisionedConcurrency > 0;
      const target = provisioned
        ? new lambda.Alias(this, `${route.name}-live`, {
          aliasName: 'live', version: fn.currentVersion, provisionedConcurrentExecutions: settings.provisionedConcurrency,
        })
        : fn;
      this.functions.push({ route, fn, target });
    }
  }

  byName(name: string): HttpFunction {
    const found = this.functions.find((f) => f.route.name === name);
    if (!found) throw new Error(`no function ${name}`);
    return found;
  }
}
