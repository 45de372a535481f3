// The edge, in the synthesised templates: CloudFront is the only way in (an internal ALB behind a
// VPC origin that nothing else may reach), HTTPS to viewers, a custom domain's certificates and
// records, the viewer's address forwarded and trusted, WAF managed rule groups, Lambda permissions
// that name their caller, and the Redis group snapshotted on delete.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Annotations as AssertAnnotations, Match } from 'aws-cdk-lib/assertions';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { synthApp, WITH_DOMAIN, type Resource, type SynthesisedApp } from '../test-support/cdk-app.ts';
import { buildApp } from './build-app.ts';
import { DEFAULTS } from './settings.ts';
import { writeWeb } from '../local/web-build.ts';
import { tempDir } from '../test-support/test-services.ts';
import { MANAGED_RULE_GROUPS } from './edge-protection.ts';
import { lambdaTargetGroupName } from './load-balancer.ts';
import { ROUTES } from '../lambdas/routes.ts';
import { HISTORY_PATHS } from './cdn.ts';
import { WRITER_ROUTES } from './writer-service.ts';

type Behavior = { PathPattern?: string; TargetOriginId: string; ViewerProtocolPolicy: string; OriginRequestPolicyId?: unknown };
type Origin = { Id: string; DomainName: unknown; VpcOriginConfig?: { VpcOriginId: unknown }; S3OriginConfig?: unknown };
type DistributionConfig = {
  DefaultCacheBehavior: Behavior; CacheBehaviors: Behavior[]; Origins: Origin[];
  Aliases?: string[]; ViewerCertificate?: Record<string, unknown>;
};

let dev: SynthesisedApp;
let prod: SynthesisedApp;
let webDir: string;
const distribution = (a: SynthesisedApp) => a.ofType('AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig as DistributionConfig;
const only = (a: SynthesisedApp, type: string): Resource => {
  const found = a.ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]![1];
};
const refOf = (v: unknown) => JSON.stringify(v);

beforeAll(async () => {
  [dev, prod] = await Promise.all([synthApp(), synthApp(WITH_DOMAIN)]);
  webDir = tempDir('web');
  await writeWeb(webDir);
});
afterAll(() => rmSync(webDir, { recursive: true, force: true }));

describe('CloudFront is the only way in', () => {
  it('puts the ALB inside the VPC (Scheme internal, private subnets) and outputs no ALB name', () => {
    for (const a of [dev, prod]) {
      const alb = only(a, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Properties;
      expect(alb.Scheme).toBe('internal');
      expect(refOf(alb.Subnets)).toContain('privateSubnet');
      expect(refOf(a.t.toJSON().Outputs)).not.toMatch(/Alb|DNSName/);
    }
  });

  it('serves /api/board*, /api/updates/*, /api/*, /healthz and /ws from one VPC origin for the ALB, /boards/* from the site bucket, every behavior redirecting HTTP to HTTPS', () => {
    for (const a of [dev, prod]) {
      const config = distribution(a);
      const vpcOrigin = only(a, 'AWS::CloudFront::VpcOrigin');
      const [originId] = a.ofType('AWS::CloudFront::VpcOrigin')[0]!;
      expect(refOf((vpcOrigin.Properties.VpcOriginEndpointConfig as { Arn: unknown }).Arn)).toContain('Alb');
      const api = config.Origins.find((o) => o.VpcOriginConfig)!;
      expect(refOf(api.VpcOriginConfig!.VpcOriginId)).toContain(originId);
      for (const b of config.CacheBehaviors) {
        if (b.PathPattern === '/media/*') expect(b.TargetOriginId).not.toBe(api.Id); // the media bucket
        else expect(b.TargetOriginId, b.PathPattern).toBe(b.PathPattern === '/boards/*' ? config.DefaultCacheBehavior.TargetOriginId : api.Id);
      }
      expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual(['/api/board*', '/api/updates/*', '/boards/*', ...HISTORY_PATHS, '/media/*', '/api/*', '/healthz', '/ws']);
      expect(config.Origins.filter((o) => !o.VpcOriginConfig).every((o) => o.S3OriginConfig)).toBe(true);
      for (const b of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) expect(b.ViewerProtocolPolicy).toBe('redirect-to-https');
    }
  });

  it('admits to the ALB only CloudFront\'s VPC-origin security group, on the listener\'s port; the listener is not open to the world', () => {
    for (const [a, port] of [[dev, 80], [prod, 443]] as const) {
      const [albSgId, albSg] = a.ofType('AWS::EC2::SecurityGroup').find(([id]) => id.startsWith('AlbSecurityGroup'))!;
      expect(albSg.Properties.SecurityGroupIngress).toBeUndefined();
      const ingress = a.ofType('AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties).filter((p) => refOf(p.GroupId).includes(albSgId));
      expect(ingress).toHaveLength(1);
      expect(ingress[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: port, ToPort: port });
      expect(ingress[0]!.CidrIp).toBeUndefined();
      // The group CloudFront creates with the VPC origin, read after the origin exists.
      const [lookupId, lookup] = a.ofType('Custom::AWS').find(([id]) => id.includes('VpcOriginSecurityGroup'))!;
      expect(refOf(ingress[0]!.SourceSecurityGroupId)).toContain(lookupId);
      expect(refOf(lookup.Properties.Create)).toContain('CloudFront-VPCOrigins-Service-SG');
      expect(lookup.DependsOn).toEqual(expect.arrayContaining([a.ofType('AWS::CloudFront::VpcOrigin')[0]![0]]));
      expect(refOf(a.resources)).not.toMatch(/"CidrIp":"0\.0\.0\.0\/0","Description":"Allow from anyone/);
    }
  });

  it('without a custom domain: HTTP inside the VPC origin to an HTTP listener, the *.cloudfront.net name', () => {
    expect(only(dev, 'AWS::CloudFront::VpcOrigin').Properties.VpcOriginEndpointConfig).toMatchObject({ OriginProtocolPolicy: 'http-only' });
    expect(only(dev, 'AWS::ElasticLoadBalancingV2::Listener').Properties).toMatchObject({ Port: 80, Protocol: 'HTTP' });
    expect(distribution(dev).Aliases).toBeUndefined();
  });

  it('with a custom domain: HTTPS (TLS 1.2) to an HTTPS listener whose certificate covers the origin name and the viewer\'s Host', () => {
    expect(only(prod, 'AWS::CloudFront::VpcOrigin').Properties.VpcOriginEndpointConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    const api = distribution(prod).Origins.find((o) => o.VpcOriginConfig)!;
    expect(api.DomainName).toBe('origin.place.example.com');
    const listener = only(prod, 'AWS::ElasticLoadBalancingV2::Listener').Properties;
    expect(listener).toMatchObject({ Port: 443, Protocol: 'HTTPS' });
    const [certId, cert] = prod.ofType('AWS::CertificateManager::Certificate')[0]!;
    expect(refOf(listener.Certificates)).toContain(certId);
    expect(cert.Properties).toMatchObject({ DomainName: 'origin.place.example.com', SubjectAlternativeNames: ['place.example.com'], ValidationMethod: 'DNS' });
    prodRecord('origin.place.example.com.', 'A', 'Alb');
  });

  it('with a custom domain: its us-east-1 certificate at TLSv1.2_2021 (SNI), and A/AAAA aliases to the distribution', () => {
    expect(prod.edge.region).toBe('us-east-1');
    const [viewerCertId, viewerCert] = prod.ofType('AWS::CertificateManager::Certificate', prod.edgeResources)[0]!;
    expect(viewerCert.Properties).toMatchObject({ DomainName: 'place.example.com', ValidationMethod: 'DNS', DomainValidationOptions: [{ DomainName: 'place.example.com', HostedZoneId: 'Z0123456789ABC' }] });
    const config = distribution(prod);
    expect(config.Aliases).toEqual(['place.example.com']);
    expect(config.ViewerCertificate).toMatchObject({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(refOf(config.ViewerCertificate!.AcmCertificateArn)).toContain(viewerCertId);
    prodRecord('place.example.com.', 'A', 'Distribution');
    prodRecord('place.example.com.', 'AAAA', 'Distribution');
  });

  it('tells the functions and the socket servers to key caps on the viewer address CloudFront forwards', () => {
    // The HTTP functions (not the scheduled jobs in lambdas/jobs/, which serve no viewer).
    const httpFunctions = dev.ofType('AWS::Lambda::Function').filter(([, r]) => /^lambdas\/[a-z-]+\.ts/.test(String(r.Properties.Description ?? '')));
    expect(httpFunctions.length).toBeGreaterThan(0);
    for (const [, fn] of httpFunctions) {
      expect((fn.Properties.Environment as { Variables: Record<string, string> }).Variables).toMatchObject({ CLIENT_ADDRESS_SOURCE: 'cloudfront' });
    }
    const socketTask = dev.ofType('AWS::ECS::TaskDefinition').find(([, r]) => refOf(r.Properties.ContainerDefinitions).includes('"Name":"socket-server"'));
    expect(refOf(socketTask![1].Properties.ContainerDefinitions)).toContain('{"Name":"CLIENT_ADDRESS_SOURCE","Value":"cloudfront"}');
  });
});

function prodRecord(name: string, type: string, target: string): void {
  const record = prod.ofType('AWS::Route53::RecordSet').map(([, r]) => r.Properties).find((p) => p.Name === name && p.Type === type);
  expect(record, `${type} ${name}`).toMatchObject({ HostedZoneId: 'Z0123456789ABC' });
  expect(refOf(record!.AliasTarget)).toContain(target);
}

describe('WAF, Lambda permissions, Redis', () => {
  it('runs the AWS managed rule groups beside the rate rules, each with a reason; anonymous IPs are only counted', () => {
    const acl = dev.ofType('AWS::WAFv2::WebACL', dev.edgeResources)[0]![1].Properties;
    const rules = acl.Rules as { Name: string; Priority: number; OverrideAction?: Record<string, unknown>; Statement: { ManagedRuleGroupStatement?: { VendorName: string; Name: string } } }[];
    const managed = rules.filter((r) => r.Statement.ManagedRuleGroupStatement);
    expect(managed.map((r) => r.Statement.ManagedRuleGroupStatement)).toEqual(expect.arrayContaining(
      ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesAnonymousIpList'].map((Name) => ({ VendorName: 'AWS', Name }))));
    for (const r of managed) {
      const spec = MANAGED_RULE_GROUPS.find((g) => g.name === r.Name)!;
      expect(spec.why.length, r.Name).toBeGreaterThan(20);
      expect(r.OverrideAction).toEqual(spec.countOnly ? { Count: {} } : { None: {} });
    }
    expect(managed.find((r) => r.Name === 'AWSManagedRulesAnonymousIpList')!.OverrideAction).toEqual({ Count: {} });
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
    expect(rules.filter((r) => refOf(r.Statement).includes('RateBasedStatement'))).toHaveLength(2);
  });

  it('gives every Lambda permission a SourceArn; the ALB\'s name their target group, which waits for them', () => {
    for (const a of [dev, prod]) {
      const permissions = [...a.ofType('AWS::Lambda::Permission'), ...a.ofType('AWS::Lambda::Permission', a.edgeResources)];
      // Every route but the writers' (their tasks are IP targets: infra/writer-service.test.ts).
      const lambdaRoutes = ROUTES.filter((r) => !WRITER_ROUTES.has(r.name));
      expect(permissions.length).toBeGreaterThanOrEqual(lambdaRoutes.length);
      for (const [id, p] of permissions) expect(p.Properties.SourceArn, id).toBeDefined();
      const groups = a.ofType('AWS::ElasticLoadBalancingV2::TargetGroup').filter(([, g]) => g.Properties.TargetType === 'lambda');
      expect(groups).toHaveLength(lambdaRoutes.length);
      for (const [, group] of groups) {
        const name = String(group.Properties.Name);
        const [permissionId, permission] = permissions.find(([, p]) => refOf(p.Properties.SourceArn).includes(`:targetgroup/${name}/*`))!;
        expect(permission.Properties).toMatchObject({ Principal: 'elasticloadbalancing.amazonaws.com', SourceAccount: '000000000000' });
        expect(refOf(group.Properties.Targets)).toContain(refOf(permission.Properties.FunctionName).replace(/^\{"Fn::GetAtt":\["|",.*$/g, ''));
        expect(group.DependsOn).toContain(permissionId);
      }
    }
    const names = ROUTES.map((r) => lambdaTargetGroupName('abcdefghijklmnop', r.name));
    expect(new Set(names).size).toBe(ROUTES.length);
    expect(names.every((n) => n.length <= 32 && /^[A-Za-z0-9-]+$/.test(n) && !n.endsWith('-'))).toBe(true);
  });

  it('refuses at synth a Lambda permission without a SourceArn', () => {
    const app = new App({ outdir: tempDir('cdk'), context: { 'aws:cdk:bundling-stacks': [] } });
    try {
      buildApp(app, DEFAULTS, webDir);
      const stack = new Stack(app, 'probe', { env: { account: '000000000000', region: 'eu-west-1' } });
      new lambda.CfnPermission(stack, 'Open', { action: 'lambda:InvokeFunction', functionName: 'f', principal: 'elasticloadbalancing.amazonaws.com' });
      AssertAnnotations.fromStack(stack).hasError('/probe/Open', Match.stringLikeRegexp('without a SourceArn'));
    } finally {
      rmSync(app.outdir, { recursive: true, force: true });
    }
  });

  it('snapshots the Redis replication group when it is deleted or replaced', () => {
    const [, group] = dev.ofType('AWS::ElastiCache::ReplicationGroup')[0]!;
    expect([group.DeletionPolicy, group.UpdateReplacePolicy]).toEqual(['Snapshot', 'Snapshot']);
  });
});
