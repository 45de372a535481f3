// Alarms (to an SNS topic) and one dashboard. Handlers turn store outages into 503s, so Lambda
// Errors never sees them: the alarms watch the service's own EMF metrics (namespace PixelBoard,
// `service` dimension; lambdas/http/lambda-telemetry.ts) for 503s by cause, failed rebuilds and
// placements stopping while people are connected (the writer tasks publish with the functions'
// `service`), beside Lambda errors and throttles, ALB 5xx, too few socket-server or writer tasks,
// Redis on every node (a failover moves the primary), Keyspaces throttling with the dimensions it
// publishes, and a canary that plays.
import { Construct } from 'constructs';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { FUNCTIONS_SERVICE, type HttpFunction } from './http-functions.ts';
import type { SocketService } from './socket-service.ts';
import type { WriterService } from './writer-service.ts';
import { functionAlarmPlan } from './function-alarms.ts';
import type { BoardJobs } from './board-jobs.ts';
import type { Settings } from './settings.ts';
import { PlayerCanary } from './canary.ts';
import { METRICS_NAMESPACE, cloudWatchName } from '../lambdas/http/lambda-telemetry.ts';
import type { StoreName } from '../core/errors.ts';

export interface OperationsProps {
  settings: Settings;
  functions: HttpFunction[];
  /** The snapshot function and the restore task. */
  jobs: BoardJobs;
  alb: elbv2.ApplicationLoadBalancer;
  redis: elasticache.CfnReplicationGroup;
  sockets: SocketService;
  /** The writer tasks (POST /api/pixels). */
  writers: WriterService;
  keyspace: string;
  /** Where the canary plays. */
  siteHost: string;
}

export { FUNCTIONS_SERVICE };
/** The stores a 503 can name in AWS, each with its own alarm; any other cause is caught by the total. */
export const UNAVAILABLE_CAUSES: readonly StoreName[] = ['redis', 'cassandra'];
export const KEYSPACES_THROTTLES = ['WriteThrottleEvents', 'ReadThrottleEvents', 'StoragePartitionThroughputCapacityExceeded'];
const FIVE_MIN = Duration.minutes(5);
/** The placements-stopped alarm's window: long enough that a quiet moment of a small board is not an outage. */
const QUIET_MINUTES = 15;

interface AlarmOptions {
  comparison?: cloudwatch.ComparisonOperator;
  evaluationPeriods?: number;
  missing?: cloudwatch.TreatMissingData;
}

export class Operations extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly canary: PlayerCanary;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { settings } = props;
    // A key of our own: CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key,
    // whose policy cannot let cloudwatch.amazonaws.com use it (the alarms would fire silently).
    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: `pixel board alarm topic (${settings.envName})`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    topicKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: `pixel board alarms (${settings.envName})`,
      enforceSSL: true,
      masterKey: topicKey,
    });
    if (settings.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(settings.alarmEmail));
    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number, description: string, o: AlarmOptions = {}) => {
      const a = new cloudwatch.Alarm(this, name, {
        alarmName: `place-${settings.envName}-${name}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: o.evaluationPeriods ?? 1,
        comparisonOperator: o.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // EMF metrics exist only when something was counted: no data means none happened.
        treatMissingData: o.missing ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(new actions.SnsAction(this.topic));
      this.alarms.push(a);
      return a;
    };
    const own = (name: Parameters<typeof cloudWatchName>[0], dimensions: Record<string, string> = {}, period = FIVE_MIN) => new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE, metricName: cloudWatchName(name), dimensionsMap: { service: FUNCTIONS_SERVICE, ...dimensions }, statistic: 'Sum', period,
    });
    /** A Metrics Insights query over every dimension combination a metric has (one time series). */
    const insights = (label: string, query: string) => new cloudwatch.MathExpression({ expression: query, usingMetrics: {}, period: FIVE_MIN, label });

    const plan = functionAlarmPlan(props.functions.map((f) => f.route.name));
    const fnOf = (name: string) => props.functions.find((f) => f.route.name === name)!.fn;
    for (const name of plan.single) {
      alarm(`${name}-errors`, fnOf(name).metricErrors({ period: FIVE_MIN }), 5, `${name} threw errors`);
      alarm(`${name}-throttles`, fnOf(name).metricThrottles({ period: FIVE_MIN }), 1, `${name} was throttled`);
    }
    plan.groups.forEach((names, i) => {
      const sum = (metric: (fn: HttpFunction['fn']) => cloudwatch.IMetric, label: string) => new cloudwatch.MathExpression({
        expression: names.map((_, j) => `m${j}`).join(' + '),
        usingMetrics: Object.fromEntries(names.map((n, j) => [`m${j}`, metric(fnOf(n))])), period: FIVE_MIN, label,
      });
      alarm(`admin-${i + 1}-errors`, sum((fn) => fn.metricErrors({ period: FIVE_MIN }), 'errors'), 5, `Grouped functions threw errors (${names.join(', ')})`);
      alarm(`admin-${i + 1}-throttles`, sum((fn) => fn.metricThrottles({ period: FIVE_MIN }), 'throttles'), 1, `Grouped functions were throttled (${names.join(', ')})`);
    });
    // Snapshots failing two intervals running (a retry that succeeds is not an outage); the restore job logging an error.
    const snapshotPeriod = Duration.minutes(Math.max(5, settings.snapshotEveryMinutes));
    alarm('take-snapshot-errors', props.jobs.snapshotFunction.metricErrors({ period: snapshotPeriod }), 1,
      'Board snapshots are failing: a restore would replay more of the journal', { evaluationPeriods: 2 });
    alarm('restore-errors', props.jobs.restoreErrors.metric({ statistic: 'Sum', period: FIVE_MIN }), 1,
      'The restore task failed: the board stays 503 until one succeeds (requests start another every REBUILD_LOCK_MS)');
    const alb5xx = props.alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: FIVE_MIN, statistic: 'Sum' });
    const targets5xx = props.alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: FIVE_MIN, statistic: 'Sum' });
    alarm('alb-5xx', alb5xx, 20, 'The load balancer answered 5xx');
    alarm('target-5xx', targets5xx, 20, 'Functions, writers or socket servers answered 5xx');

    // 503s by cause (Unavailable, dimension store), and all of them whatever the cause.
    const unavailable = UNAVAILABLE_CAUSES.map((store) => own('unavailable', { store }).with({ label: `503: ${store}` }));
    UNAVAILABLE_CAUSES.forEach((store, i) => alarm(`unavailable-${store}`, unavailable[i]!, 5, `Requests answered 503 because ${store} is unavailable`));
    const allUnavailable = insights('503s (any cause)', `SELECT SUM(${cloudWatchName('unavailable')}) FROM SCHEMA("${METRICS_NAMESPACE}", service, store) WHERE service = '${FUNCTIONS_SERVICE}'`);
    alarm('unavailable-any', allUnavailable, 20, 'Requests answered 503 (any store)');
    alarm('rebuild-failed', own('rebuilds', { outcome: 'failed' }), 1, 'A board rebuild failed: writes stay refused until one succeeds');
    const failures = insights('failures', `SELECT SUM(${cloudWatchName('failures')}) FROM SCHEMA("${METRICS_NAMESPACE}", service, what) WHERE service = '${FUNCTIONS_SERVICE}'`);
    alarm('failures', failures, 10, 'Functions reported failures (logged with what failed)');

    // Placements stop while people are connected: nobody but the canary placed a pixel in the
    // window while the socket servers (Connections, one datapoint a task a minute) had sockets open.
    const window = Duration.minutes(QUIET_MINUTES);
    const canaryPlacements = Math.ceil(QUIET_MINUTES / settings.canaryEveryMinutes);
    const stopped = new cloudwatch.MathExpression({
      // Both conditions as a product of IFs (1 only when both hold); FILL: no Placements datapoint means none placed.
      expression: `IF(connections / ${QUIET_MINUTES} >= ${settings.alarmMinConnections}, 1, 0) * IF(FILL(placements, 0) <= ${canaryPlacements}, 1, 0)`,
      usingMetrics: { placements: own('placements', {}, window), connections: props.sockets.connectionsMetric.with({ statistic: 'Sum', period: window }) },
      period: window,
      label: 'placements stopped while sockets are open',
    });
    alarm('placements-stopped', stopped, 1, `No pixel placed (but the canary's) in ${QUIET_MINUTES} minutes while at least ${settings.alarmMinConnections} sockets were open`);

    // Every node: a failover makes a replica the primary, and host metrics are per node.
    const members = Array.from({ length: 1 + settings.redisReplicas }, (_, i) => `${props.redis.ref}-${String(i + 1).padStart(3, '0')}`);
    const redisMax = (metricName: string, id: string) => new cloudwatch.MathExpression({
      expression: `MAX([${members.map((_, i) => `${id}${i}`).join(', ')}])`,
      usingMetrics: Object.fromEntries(members.map((cacheClusterId, i) => [`${id}${i}`, new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache', metricName, dimensionsMap: { CacheClusterId: cacheClusterId }, statistic: 'Maximum', period: FIVE_MIN,
      })])),
      period: FIVE_MIN,
      label: `${metricName} (highest node)`,
    });
    const redisCpu = redisMax('EngineCPUUtilization', 'cpu');
    const redisMemory = redisMax('DatabaseMemoryUsagePercentage', 'mem');
    alarm('redis-cpu', redisCpu, 70, 'Redis engine CPU high on a node: every write runs a script there');
    alarm('redis-memory', redisMemory, 80, 'Redis memory high on a node');

    // Container Insights, per service of the cluster (both services run in the socket servers' cluster).
    const serviceMetric = (serviceName: string, metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights', metricName,
      dimensionsMap: { ClusterName: props.sockets.cluster.clusterName, ServiceName: serviceName },
      statistic, period: Duration.minutes(1),
    });
    const tasks = serviceMetric(props.sockets.serviceName, 'RunningTaskCount', 'Minimum');
    alarm('socket-tasks-low', tasks, settings.socketMinTasks, 'Fewer socket-server tasks than the minimum', { comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD });
    const writerTasks = serviceMetric(props.writers.serviceName, 'RunningTaskCount', 'Minimum');
    alarm('writer-tasks-low', writerTasks, settings.writerMinTasks, 'Fewer writer tasks than the minimum: POST /api/pixels (the page\'s writes) has less room, or none',
      { comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD });
    const writerCpu = props.writers.service.metricCpuUtilization({ period: Duration.minutes(1), label: 'writer CPU % (average)' });

    // Keyspaces publishes these with Keyspace, Operation and TableName; a query spans every table and operation.
    const throttles = KEYSPACES_THROTTLES.map((metricName) =>
      insights(metricName, `SELECT SUM(${metricName}) FROM SCHEMA("AWS/Cassandra", Keyspace, Operation, TableName) WHERE Keyspace = '${props.keyspace}'`));
    KEYSPACES_THROTTLES.forEach((metricName, i) => alarm(`keyspaces-${metricName}`, throttles[i]!, 1, `Keyspaces ${metricName} (a hot partition or capacity)`));

    this.canary = new PlayerCanary(this, 'Player', { settings, siteHost: props.siteHost });
    alarm('canary', this.canary.canary.metricSuccessPercent({ period: Duration.minutes(settings.canaryEveryMinutes) }), 100,
      'The canary could not load the board, start a session or place a pixel, twice in a row (or did not run)',
      { comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, evaluationPeriods: 2, missing: cloudwatch.TreatMissingData.BREACHING });

    const minute = Duration.minutes(1);
    new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `place-${settings.envName}`,
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'Pixels placed', left: [own('placements', {}, minute)] }),
          new cloudwatch.GraphWidget({ title: 'Function errors', left: props.functions.map((f) => f.fn.metricErrors({ period: minute, label: f.route.name })) }),
          new cloudwatch.GraphWidget({ title: 'Function p99 duration', left: props.functions.map((f) => f.fn.metricDuration({ period: minute, statistic: 'p99', label: f.route.name })) }),
        ],
        [
          new cloudwatch.GraphWidget({ title: '5xx', left: [alb5xx, targets5xx], right: unavailable }),
          new cloudwatch.GraphWidget({ title: 'Redis (highest node)', left: [redisCpu, redisMemory] }),
          new cloudwatch.GraphWidget({ title: 'Socket servers', left: [tasks], right: [props.sockets.connectionsMetric.with({ statistic: 'Sum', label: 'connections' })] }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Keyspaces throttling', left: throttles }),
          new cloudwatch.GraphWidget({ title: 'Canary', left: [this.canary.canary.metricSuccessPercent({ period: FIVE_MIN })] }),
          new cloudwatch.GraphWidget({ title: 'Writers (POST /api/pixels)', left: [writerTasks.with({ label: 'writer tasks' })], right: [writerCpu] }),
        ],
      ],
    });
  }
}
