// The ALB: /api/* and /healthz to one Lambda target group per function (by path and method),
// /ws to the socket servers. HTTPS when a certificate is given; idle timeout and deregistration
// delay sized for long-lived WebSockets.
import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { HttpFunction } from './http-functions.ts';
import { DRAIN_MS, SOCKET_PORT } from './socket-service.ts';
import type { Settings } from './settings.ts';
import { logBucket } from './log-bucket.ts';

export const WS_PATH = '/ws';

export interface LoadBalancerProps {
  settings: Settings;
  vpc: ec2.IVpc;
  functions: HttpFunction[];
  sockets: ecs.FargateService;
  socketSg: ec2.ISecurityGroup;
}

export class LoadBalancer extends Construct {
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly https: boolean;
  readonly socketTargetGroup: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const logs = logBucket(this, 'AccessLogs', props.settings.logRetentionDays);
    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.vpc,
      internetFacing: true,
      // Sockets ping every 20 s; the idle timeout leaves room for a missed ping or two.
      idleTimeout: Duration.seconds(120),
      dropInvalidHeaderFields: true,
    });
    this.alb.logAccessLogs(logs, 'alb');
    this.https = props.settings.certificateArn !== null;
    const notFound = elbv2.ListenerAction.fixedResponse(404, {
      contentType: 'application/json',
      messageBody: JSON.stringify({ error: 'not_found', message: 'Nothing is at this path.' }),
    });
    if (this.https) {
      this.listener = this.alb.addListener('Https', {
        port: 443,
        certificates: [elbv2.ListenerCertificate.fromArn(props.settings.certificateArn!)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultAction: notFound,
      });
      this.alb.addRedirect({ sourcePort: 80, targetPort: 443 });
    } else {
      this.listener = this.alb.addListener('Http', { port: 80, defaultAction: notFound });
    }

    this.socketTargetGroup = new elbv2.ApplicationTargetGroup(this, 'SocketTargets', {
      vpc: props.vpc,
      port: SOCKET_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [props.sockets],
      // Longer than the server's own drain, so clients are told to reconnect before the cut.
      deregistrationDelay: Duration.seconds(DRAIN_MS / 1000 + 10),
      healthCheck: { path: '/healthz', interval: Duration.seconds(15), healthyThresholdCount: 2, unhealthyThresholdCount: 3 },
      loadBalancingAlgorithmType: elbv2.TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS,
    });
    props.socketSg.connections.allowFrom(this.alb, ec2.Port.tcp(SOCKET_PORT), 'ALB to socket servers');
    this.listener.addAction('Sockets', {
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns([WS_PATH])],
      action: elbv2.ListenerAction.forward([this.socketTargetGroup]),
    });

    // Exact paths first, prefixes (/api/pixels/*) after.
    const ordered = [...props.functions].sort((a, b) => Number(a.route.path.endsWith('/*')) - Number(b.route.path.endsWith('/*')));
    ordered.forEach(({ route, target }, i) => {
      const group = new elbv2.ApplicationTargetGroup(this, `${route.name}-targets`, {
        targetType: elbv2.TargetType.LAMBDA,
        targets: [new targets.LambdaTarget(target)],
      });
      this.listener.addAction(route.name, {
        priority: 10 + i,
        conditions: [
          elbv2.ListenerCondition.pathPatterns([route.path]),
          elbv2.ListenerCondition.httpRequestMethods(route.method === 'GET' ? ['GET', 'HEAD'] : [route.method]),
        ],
        action: elbv2.ListenerAction.forward([group]),
      });
    });
  }
}
