// Alarms (to an SNS topic) and one dashboard: Lambda errors and throttles, ALB 5xx, Redis CPU
// and memory, socket-server task count and connections, Keyspaces throttling.
import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type { HttpFunction } from './http-functions.ts';
import type { SocketService } from './socket-service.ts';
import type { Settings } from './settings.ts';
import { TABLES } from '../core/pixel-log/cassandra-schema.ts';

export interface OperationsProps {
  settings: Settings;
  functions: HttpFunction[];
  alb: elbv2.ApplicationLoadBalancer;
  redis: elasticache.CfnReplicationGroup;
  sockets: SocketService;
  keyspace: string;
}

const FIVE_MIN = Duration.minutes(5);

export class Operations extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { settings } = props;
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: `pixel board alarms (${settings.envName})`,
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    if (settings.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(settings.alarmEmail));
    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number, description: string,
      comparison = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD) => {
      const a = new cloudwatch.Alarm(this, name, {
        alarmName: `place-${settings.envName}-${name}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: comparison,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(new actions.SnsAction(this.topic));
      this.alarms.push(a);
      return a;
    };

    for (const { route, fn } of props.functions) {
      alarm(`${route.name}-errors`, fn.metricErrors({ period: FIVE_MIN }), 5, `${route.name} threw errors`);
      alarm(`${route.name}-throttles`, fn.metricThrottles({ period: FIVE_MIN }), 1, `${route.name} was throttled`);
    }
    const alb5xx = props.alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: FIVE_MIN, statistic: 'Sum' });
    const targets5xx = props.alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: FIVE_MIN, statistic: 'Sum' });
    alarm('alb-5xx', alb5xx, 20, 'The load balancer answered 5xx');
    alarm('target-5xx', targets5xx, 20, 'Functions or socket servers answered 5xx (503 = a store is down)');

    const node = `${props.redis.ref}-001`;
    const redisMetric = (metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/ElastiCache', metricName, dimensionsMap: { CacheClusterId: node }, statistic: 'Average', period: FIVE_MIN,
    });
    alarm('redis-cpu', redisMetric('EngineCPUUtilization'), 70, 'Redis engine CPU high: every write runs a script there');
    alarm('redis-memory', redisMetric('DatabaseMemoryUsagePercentage'), 80, 'Redis memory high');

    const tasks = new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: props.sockets.cluster.clusterName, ServiceName: props.sockets.serviceName },
      statistic: 'Minimum', period: Duration.minutes(1),
    });
    alarm('socket-tasks-low', tasks, settings.socketMinTasks, 'Fewer socket-server tasks than the minimum', cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD);

    const keyspacesMetrics = TABLES.flatMap((t) => ['WriteThrottleEvents', 'ReadThrottleEvents', 'StoragePartitionThroughputCapacityExceeded'].map((metricName) =>
      new cloudwatch.Metric({ namespace: 'AWS/Cassandra', metricName, dimensionsMap: { Keyspace: props.keyspace, TableName: t.name }, statistic: 'Sum', period: FIVE_MIN })));
    const throttling = new cloudwatch.MathExpression({
      expression: keyspacesMetrics.map((_, i) => `m${i}`).join(' + '),
      usingMetrics: Object.fromEntries(keyspacesMetrics.map((m, i) => [`m${i}`, m])),
      period: FIVE_MIN,
      label: 'Keyspaces throttle events',
    });
    alarm('keyspaces-throttling', throttling, 1, 'Keyspaces throttled reads or writes (a hot partition or capacity)');

    new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `place-${settings.envName}`,
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'Pixel writes (write-pixel invocations)', left: [props.functions.find((f) => f.route.name === 'write-pixel')!.fn.metricInvocations({ period: Duration.minutes(1) })] }),
          new cloudwatch.GraphWidget({ title: 'Function errors', left: props.functions.map((f) => f.fn.metricErrors({ period: Duration.minutes(1), label: f.route.name })) }),
          new cloudwatch.GraphWidget({ title: 'Function p99 duration', left: props.functions.map((f) => f.fn.metricDuration({ period: Duration.minutes(1), statistic: 'p99', label: f.route.name })) }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'ALB 5xx', left: [alb5xx, targets5xx] }),
          new cloudwatch.GraphWidget({ title: 'Redis', left: [redisMetric('EngineCPUUtilization'), redisMetric('DatabaseMemoryUsagePercentage')] }),
          new cloudwatch.GraphWidget({ title: 'Socket servers', left: [tasks], right: [props.sockets.connectionsMetric.with({ statistic: 'Sum', label: 'connections' })] }),
        ],
        [new cloudwatch.GraphWidget({ title: 'Keyspaces throttling', left: [throttling] })],
      ],
    });
  }
}
