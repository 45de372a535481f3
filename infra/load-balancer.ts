// The ALB, internal: reachable only through CloudFront's VPC origin (cdn.ts admits it). /ws goes
// to the socket servers, POST /api/pixels to the writer tasks (writer-service.ts), the rest of
// /api/* and /healthz to one Lambda target group per function (by path and method). With a custom domain it speaks HTTPS with a certificate for origin.<domain>; without,
// HTTP inside the VPC origin's private connection. Idle timeout and deregistration delay are
// sized for long-lived WebSockets and their drain (see socket-service.ts).
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { HttpFunction } from './http-functions.ts';
import { DEREGISTRATION_DELAY_S, SOCKET_PORT } from './socket-service.ts';
import { WRITER_DEREGISTRATION_DELAY_S, WRITER_PORT, WRITER_ROUTES } from './writer-service.ts';
import { ROUTES } from '../lambdas/routes.ts';
import type { Settings } from './settings.ts';
import { logBucket } from './log-bucket.ts';

export const WS_PATH = '/ws';

/** The custom domain's parts, or null: the viewer name, its zone, and the ALB's name in it. */
export function customDomain(settings: Settings): { domainName: string; originDomainName: string; zone: { hostedZoneId: string; zoneName: string } } | null {
  const { domainName, hostedZoneId, zoneName } = settings;
  if (!domainName || !hostedZoneId || !zoneName) return null;
  return { domainName, originDomainName: `origin.${domainName}`, zone: { hostedZoneId, zoneName } };
}

/** A fixed target group name (≤ 32 characters, unique per region), so a Lambda permission can name it before it exists. */
export function lambdaTargetGroupName(envName: string, routeName: string): string {
  const name = `pb-${envName}-${routeName}`;
  return name.length <= 32 ? name : `pb-${envName}-${createHash('sha256').update(routeName).digest('hex').slice(0, 8)}`;
}

/**
 * A Lambda target whose invoke permission names the target group (SourceArn + SourceAccount), which
 * CDK's LambdaTarget does not. The group's ARN ends in a suffix chosen at creation and the group
 * needs the permission before it registers the function, so the permission names the group by its
 * fixed name with a wildcard suffix (Lambda matches SourceArn with ArnLike).
 */
class ScopedLambdaTarget implements elbv2.IApplicationLoadBalancerTarget {
  constructor(private readonly fn: lambda.IFunction, private readonly groupName: string) {}

  attachToApplicationTargetGroup(group: elbv2.IApplicationTargetGroup): elbv2.LoadBalancerTargetProps {
    const stack = Stack.of(group);
    const permission = new lambda.CfnPermission(group, 'InvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName: this.fn.functionArn,
      principal: 'elasticloadbalancing.amazonaws.com',
      sourceAccount: stack.account,
      sourceArn: stack.formatArn({ service: 'elasticloadbalancing', resource: 'targetgroup', resourceName: `${this.groupName}/*` }),
    });
    group.node.addDependency(permission);
    return { targetType: elbv2.TargetType.LAMBDA, targetJson: { id: this.fn.functionArn } };
  }
}

export interface LoadBalancerProps {
  settings: Settings;
  vpc: ec2.IVpc;
  functions: HttpFunction[];
  sockets: ecs.FargateService;
  socketSg: ec2.ISecurityGroup;
  /** The writer tasks (WRITER_ROUTES) and their group. */
  writers: ecs.FargateService;
  writerSg: ec2.ISecurityGroup;
}

export class LoadBalancer extends Construct {
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  /** The port CloudFront's VPC origin connects to: 443 (HTTPS) with a custom domain, else 80. */
  readonly port: number;
  readonly https: boolean;
  readonly socketTargetGroup: elbv2.ApplicationTargetGroup;
  readonly writerTargetGroup: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { settings } = props;
    const logs = logBucket(this, 'AccessLogs', settings.logRetentionDays);
    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      // Sockets ping every 20 s; the idle timeout leaves room for a missed ping or two.
      idleTimeout: Duration.seconds(120),
      dropInvalidHeaderFields: true,
    });
    this.alb.logAccessLogs(logs, 'alb');
    const notFound = elbv2.ListenerAction.fixedResponse(404, {
      contentType: 'application/json',
      messageBody: JSON.stringify({ error: 'not_found', message: 'Nothing is at this path.' }),
    });
    const domain = customDomain(settings);
    this.https = domain !== null;
    this.port = this.https ? 443 : 80;
    if (domain) {
      const zone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', domain.zone);
      // CloudFront checks the origin's certificate against the origin name, or against the viewer's
      // Host where a behavior forwards it (the uncached /api/* and /ws do): it carries both.
      const certificate = new acm.Certificate(this, 'OriginCertificate', {
        domainName: domain.originDomainName,
        subjectAlternativeNames: [domain.domainName],
        validation: acm.CertificateValidation.fromDns(zone),
      });
      // The name resolves to the ALB's private addresses: useless from outside, but a real name.
      new route53.ARecord(this, 'OriginName', {
        zone, recordName: domain.originDomainName, target: route53.RecordTarget.fromAlias(new route53targets.LoadBalancerTarget(this.alb)),
      });
      this.listener = this.alb.addListener('Https', {
        port: 443, open: false, certificates: [certificate], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, defaultAction: notFound,
      });
    } else {
      this.listener = this.alb.addListener('Http', { port: 80, open: false, defaultAction: notFound });
    }

    /** An ECS service's tasks as IP targets on `port`, checked at /healthz, reachable from the ALB. */
    const taskTargets = (id: string, service: ecs.FargateService, group: ec2.ISecurityGroup, port: number, deregistrationDelayS: number, what: string) => {
      const targets = new elbv2.ApplicationTargetGroup(this, id, {
        vpc: props.vpc,
        port,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targetType: elbv2.TargetType.IP,
        targets: [service],
        deregistrationDelay: Duration.seconds(deregistrationDelayS),
        healthCheck: { path: '/healthz', interval: Duration.seconds(15), healthyThresholdCount: 2, unhealthyThresholdCount: 3 },
        loadBalancingAlgorithmType: elbv2.TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS,
      });
      group.connections.allowFrom(this.alb, ec2.Port.tcp(port), `ALB to ${what}`);
      return targets;
    };
    // The drain's whole window plus a margin: the server starts it when the task is being
    // stopped, and the ALB cuts whatever is left when this delay ends (docs/DEPLOY.md).
    this.socketTargetGroup = taskTargets('SocketTargets', props.sockets, props.socketSg, SOCKET_PORT, DEREGISTRATION_DELAY_S, 'socket servers');
    this.listener.addAction('Sockets', {
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns([WS_PATH])],
      action: elbv2.ListenerAction.forward([this.socketTargetGroup]),
    });

    // The writers: after /ws, before every function's rule (10 on).
    // A write takes milliseconds: a stopping writer's last ones are long done by the end of the delay.
    this.writerTargetGroup = taskTargets('WriterTargets', props.writers, props.writerSg, WRITER_PORT, WRITER_DEREGISTRATION_DELAY_S, 'writer tasks');
    const writerRoutes = ROUTES.filter((r) => WRITER_ROUTES.has(r.name));
    writerRoutes.forEach((route, i) => {
      this.listener.addAction(`${route.name}-writers`, {
        priority: 2 + i,
        conditions: [elbv2.ListenerCondition.pathPatterns([route.path]), elbv2.ListenerCondition.httpRequestMethods([route.method])],
        action: elbv2.ListenerAction.forward([this.writerTargetGroup]),
      });
    });

    // Every other route to its function. Exact paths first, prefixes (/api/pixels/*) after.
    const ordered = props.functions.filter((f) => !WRITER_ROUTES.has(f.route.name)).sort((a, b) => Number(a.route.path.endsWith('/*')) - Number(b.route.path.endsWith('/*')));
    ordered.forEach(({ route, target }, i) => {
      const targetGroupName = lambdaTargetGroupName(settings.envName, route.name);
      const group = new elbv2.ApplicationTargetGroup(this, `${route.name}-targets`, {
        targetGroupName,
        targetType: elbv2.TargetType.LAMBDA,
        targets: [new ScopedLambdaTarget(target, targetGroupName)],
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
