// The synthesised templates, checked offline: routing, caching, reachability, IAM scope,
// the WebSocket path, alarms, Keyspaces schema, and cdk-nag (AwsSolutions) with no open findings.
// (The edge: infra/edge.test.ts; alarms and the canary: infra/operations.test.ts.)
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings } from './settings.ts';
import { ROUTES } from '../lambdas/routes.ts';
import { TABLES } from '../core/pixel-log/cassandra-schema.ts';
import { HISTORY_PATHS } from './cdn.ts';
import { IMMUTABLE, PAGE_SECURITY_HEADERS, REVALIDATE } from '../local/web-build.ts';
import { API_SECURITY_HEADERS } from '../lambdas/http/responses.ts';
import { KEYSPACES_WRITE_TABLES, KEYSPACES_WRITERS, REPO_ROOT } from './http-functions.ts';
import { DEREGISTRATION_DELAY_S, DRAIN_MS, STOP_POLL_MS, STOP_TIMEOUT_S } from './socket-service.ts';
import { WRITER_ROUTES } from './writer-service.ts';
import { synthApp, WITH_DOMAIN, type Resources, type SynthesisedApp } from '../test-support/cdk-app.ts';

let app: SynthesisedApp;
let t: Template;
let resources: Resources;

const ofType = (type: string) => app.ofType(type);
const logicalId = (name: string) => ofType('AWS::Lambda::Function').find(([, r]) => String(r.Properties.Description ?? '').startsWith(`lambdas/${name}.ts`))![0];

beforeAll(async () => {
  app = await synthApp();
  ({ t, resources } = app);
});

describe('CDK app', () => {
  it('has one Lambda per HTTP function, and one function per handler file', () => {
    const handlerFiles = readdirSync(path.join(REPO_ROOT, 'lambdas'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.contract.ts'))
      .filter((f) => !['routes.ts', 'runtime.ts', 'handlers.ts', 'board-cache.ts', 'openapi.ts'].includes(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(handlerFiles.sort()).toEqual(ROUTES.map((r) => r.name).sort());
    for (const route of ROUTES) {
      t.hasResourceProperties('AWS::Lambda::Function', Match.objectLike({
        Description: `lambdas/${route.name}.ts: ${route.method} ${route.path}`,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        VpcConfig: Match.anyValue(),
      }));
    }
  });

  it('routes every API path and method to its own Lambda target group (but the writers\' routes), and /ws to the socket servers', () => {
    const rules = ofType('AWS::ElasticLoadBalancingV2::ListenerRule').map(([, r]) => r.Properties);
    const groups = Object.fromEntries(ofType('AWS::ElasticLoadBalancingV2::TargetGroup'));
    // POST /api/pixels goes to the writer tasks (infra/writer-service.test.ts).
    for (const route of ROUTES.filter((r) => !WRITER_ROUTES.has(r.name))) {
      const rule = rules.find((r) => JSON.stringify(r.Conditions).includes(`"${route.path}"`) && JSON.stringify(r.Conditions).includes(`"${route.method}"`));
      expect(rule, `${route.method} ${route.path}`).toBeDefined();
      const groupId = ((rule!.Actions as { TargetGroupArn: { Ref: string } }[])[0]!).TargetGroupArn.Ref;
      const group = groups[groupId]!;
      expect(group.Properties.TargetType).toBe('lambda');
      expect(JSON.stringify(group.Properties.Targets)).toContain(logicalId(route.name));
    }
    const ws = rules.find((r) => JSON.stringify(r.Conditions).includes('"/ws"'))!;
    expect(ws.Priority).toBe(1);
    const wsGroup = groups[((ws.Actions as { TargetGroupArn: { Ref: string } }[])[0]!).TargetGroupArn.Ref]!;
    expect(wsGroup.Properties).toMatchObject({ TargetType: 'ip', Port: 8081, HealthCheckPath: '/healthz' });
    expect(JSON.stringify(wsGroup.Properties.TargetGroupAttributes)).toContain(`"deregistration_delay.timeout_seconds","Value":"${DEREGISTRATION_DELAY_S}"`);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '120' }]),
    });
  });

  it('caches /api/board* about a second and update segments as long as the origin says, serves published boards from S3, and passes the rest of /api/* and /ws through', () => {
    const dist = ofType('AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig as {
      CacheBehaviors: { PathPattern: string; CachePolicyId: unknown; OriginRequestPolicyId?: unknown; AllowedMethods: string[] }[];
      WebACLId: unknown;
    };
    type Behavior = typeof dist.CacheBehaviors[0];
    expect(dist.CacheBehaviors.map((b) => b.PathPattern)).toEqual(['/api/board*', '/api/updates/*', '/boards/*', ...HISTORY_PATHS, '/media/*', '/api/*', '/healthz', '/ws']);
    const byPattern = (p: string) => dist.CacheBehaviors.find((b) => b.PathPattern === p)!;
    const [board, updates, published, api, ws] = ['/api/board*', '/api/updates/*', '/boards/*', '/api/*', '/ws'].map(byPattern) as [Behavior, Behavior, Behavior, Behavior, Behavior];
    // A full segment says "immutable, a year" and the open one "a second": the policy lets both through.
    expect(resources[(updates.CachePolicyId as { Ref: string }).Ref]!.Properties.CachePolicyConfig).toMatchObject({
      MinTTL: 0, DefaultTTL: 1, MaxTTL: 365 * 24 * 3600,
      ParametersInCacheKeyAndForwardedToOrigin: { CookiesConfig: { CookieBehavior: 'none' }, QueryStringsConfig: { QueryStringBehavior: 'none' } },
    });
    const cachingOptimized = '658327ea-f89d-4fab-a63d-7e88639e58f6';
    expect(published.CachePolicyId).toBe(cachingOptimized);
    expect(published.AllowedMethods).toEqual(['GET', 'HEAD']);
    const policyId = (board.CachePolicyId as { Ref: string }).Ref;
    // board.png?at= / ?seq= are other images: those two are in the key, nothing else.
    expect(resources[policyId]!.Properties.CachePolicyConfig).toMatchObject({
      MinTTL: 0, DefaultTTL: 1,
      ParametersInCacheKeyAndForwardedToOrigin: {
        EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true, CookiesConfig: { CookieBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['at', 'seq'] },
      },
    });
    for (const p of ['/api/board*', ...HISTORY_PATHS]) {
      // Uncached heavy reads are capped per address: the viewer's address must reach the origin.
      expect(resources[(byPattern(p).OriginRequestPolicyId as { Ref: string }).Ref]!.Properties.OriginRequestPolicyConfig)
        .toMatchObject({ HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['CloudFront-Viewer-Address'] } });
    }
    for (const p of HISTORY_PATHS) {
      const b = byPattern(p);
      expect(b.AllowedMethods).toEqual(['GET', 'HEAD']);
      expect(resources[(b.CachePolicyId as { Ref: string }).Ref]!.Properties.CachePolicyConfig).toMatchObject({
        MinTTL: 0, DefaultTTL: 0, MaxTTL: 31_536_000, ParametersInCacheKeyAndForwardedToOrigin: { QueryStringsConfig: { QueryStringBehavior: 'all' } },
      });
    }
    const cachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
    for (const b of [api, ws]) {
      expect(b.CachePolicyId).toBe(cachingDisabled);
      // Every viewer header (the WebSocket ones too), cookies, the query, and the viewer's address and protocol.
      expect(resources[(b.OriginRequestPolicyId as { Ref: string }).Ref]!.Properties.OriginRequestPolicyConfig).toMatchObject({
        HeadersConfig: { HeaderBehavior: 'allViewerAndWhitelistCloudFront', Headers: ['CloudFront-Viewer-Address', 'CloudFront-Forwarded-Proto'] },
        CookiesConfig: { CookieBehavior: 'all' },
        QueryStringsConfig: { QueryStringBehavior: 'all' },
      });
    }
    expect(api.AllowedMethods).toContain('POST');
    expect(JSON.stringify(dist.WebACLId)).toContain('WebAcl');
  });

  it('deploys the hashed scripts and stylesheets cached for good, and index.html and admin.html revalidated and invalidated on each deploy', () => {
    const deployments = ofType('Custom::CDKBucketDeployment').map(([, r]) => r.Properties as {
      Exclude?: string[]; Include?: string[]; Prune: boolean; SystemMetadata?: Record<string, string>; DistributionPaths?: string[];
    });
    expect(deployments).toHaveLength(2);
    const assets = deployments.find((d) => !d.Include)!;
    const page = deployments.find((d) => d.Include)!;
    expect(assets).toMatchObject({ Exclude: ['index.html', 'admin.html'], Prune: false, SystemMetadata: { 'cache-control': IMMUTABLE } });
    expect(assets.DistributionPaths).toBeUndefined();
    expect(page).toMatchObject({ Exclude: ['*'], Include: ['index.html', 'admin.html'], Prune: false, SystemMetadata: { 'cache-control': REVALIDATE } });
    expect(page.DistributionPaths).toEqual(['/', '/index.html', '/admin', '/admin.html']);
  });

  it('lets only the Lambdas, socket servers, writer tasks and restore task reach Redis, which has TLS and an auth token', () => {
    const redisSg = ofType('AWS::EC2::SecurityGroup').find(([, r]) => String(r.Properties.GroupDescription).startsWith('ElastiCache'))![0];
    const ingress = ofType('AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties).filter((p) => JSON.stringify(p.GroupId).includes(redisSg));
    const sources = ingress.map((p) => JSON.stringify(p.SourceSecurityGroupId));
    expect(ingress).toHaveLength(4);
    for (const group of ['LambdaSg', 'SocketSg', 'WriterSg', 'RestoreSg']) expect(sources.some((s) => s.includes(group)), group).toBe(true);
    expect(ingress.every((p) => p.FromPort === 6379 && p.ToPort === 6379)).toBe(true);
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey', TransitEncryptionEnabled: true, AtRestEncryptionEnabled: true, AuthToken: Match.anyValue(),
    });
  });

  it('runs Valkey with the server settings the write path depends on, as local Redis does', () => {
    const [paramsId, params] = ofType('AWS::ElastiCache::ParameterGroup')[0]!;
    expect(params.Properties).toMatchObject({ CacheParameterGroupFamily: 'valkey8', Properties: { 'zset-max-listpack-entries': '0' } });
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { EngineVersion: '8.1', CacheParameterGroupName: { Ref: paramsId } });
  });

  it('grants Keyspaces writes only to the functions that write, and no one a Lambda invoke (socket placements go to the writers)', () => {
    const policies = ofType('AWS::IAM::Policy').map(([, r]) => r.Properties);
    const policyOf = (name: string) => policies.find((p) => JSON.stringify(p.Roles).includes(`"${logicalId(name).replace(/[0-9A-F]{8}$/, '')}ServiceRole`))!;
    for (const route of ROUTES) {
      const doc = JSON.stringify(policyOf(route.name).PolicyDocument);
      expect(doc).toContain('cassandra:Select');
      expect(doc.includes('cassandra:Modify'), route.name).toBe(KEYSPACES_WRITERS.has(route.name));
      expect(doc).not.toContain('lambda:InvokeFunction');
    }
    // Each writer may modify only its tables: the board-state function not the placements, the write path not the audit log.
    const modified = (name: string) => {
      const statements = (policyOf(name).PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
      return JSON.stringify(statements.filter((st) => JSON.stringify(st.Action).includes('cassandra:Modify')).map((st) => st.Resource));
    };
    for (const [name, tables] of Object.entries(KEYSPACES_WRITE_TABLES)) {
      for (const table of TABLES.map((t) => t.name)) expect(modified(name).includes(`/table/${table}"`), `${name} modifies ${table}`).toBe(tables.includes(table));
    }
    expect(KEYSPACES_WRITE_TABLES['admin-board']).not.toContain('pixel_history');
    expect(KEYSPACES_WRITE_TABLES['write-pixel']).not.toContain('audit_log');
    expect(policies.filter((p) => JSON.stringify(p.PolicyDocument).includes('lambda:InvokeFunction'))).toEqual([]);
  });

  it('lets the socket tasks put published boards under boards/ of the site bucket, and nothing else there; the bucket expires them after a day', () => {
    const [siteId] = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('CdnSite'))!;
    const socketPolicy = ofType('AWS::IAM::Policy').map(([, r]) => r.Properties).find((p) => JSON.stringify(p.Roles).includes('SocketsTaskTaskRole'))!;
    const statements = (socketPolicy.PolicyDocument as { Statement: { Sid?: string; Action: unknown; Resource: unknown }[] }).Statement;
    const publish = statements.find((s) => s.Sid === 'PublishBoards')!;
    expect(publish.Action).toBe('s3:PutObject');
    expect(JSON.stringify(publish.Resource)).toContain(siteId);
    expect(JSON.stringify(publish.Resource)).toContain('/boards/*');
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('s3:'))).toHaveLength(1);
    const site = resources[siteId]!.Properties as { LifecycleConfiguration: { Rules: unknown[] } };
    expect(site.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({ Prefix: 'boards/', ExpirationInDays: 1, Status: 'Enabled' }));
    const env = JSON.stringify(ofType('AWS::ECS::TaskDefinition').find(([id]) => id.startsWith('SocketsTask'))![1].Properties);
    expect(env).toContain('BOARD_PUBLISH_BUCKET');
  });

  it('subscribes the socket servers to the feed on the replicas (the reader endpoint), writes stay on the primary', () => {
    const [groupId] = ofType('AWS::ElastiCache::ReplicationGroup')[0]!;
    const env = (ofType('AWS::ECS::TaskDefinition').find(([id]) => id.startsWith('SocketsTask'))![1].Properties as {
      ContainerDefinitions: { Environment: { Name: string; Value: unknown }[] }[] }).ContainerDefinitions[0]!.Environment;
    const value = (name: string) => JSON.stringify(env.find((e) => e.Name === name)?.Value);
    expect(value('REDIS_FEED_URL')).toContain(`"${groupId}","ReaderEndPoint.Address"`);
    expect(value('REDIS_URL')).toContain(`"${groupId}","PrimaryEndPoint.Address"`);
  });

  it('does not make write-pixel wait for other writes to share its Redis call (a function serves one request at a time)', () => {
    const fn = ofType('AWS::Lambda::Function').find(([id]) => id === logicalId('write-pixel'))![1];
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.REDIS_WRITE_BATCH_MS).toBe('0');
  });

  it('creates the Keyspaces tables of the schema, after their keyspace, with PITR and client-side timestamps', () => {
    const keyspace = ofType('AWS::Cassandra::Keyspace')[0]![0];
    const tables = ofType('AWS::Cassandra::Table');
    expect(tables.map(([, r]) => r.Properties.TableName).sort()).toEqual(TABLES.map((d) => d.name).sort());
    for (const [, table] of tables) {
      expect(table.DependsOn).toContain(keyspace);
      expect(table.Properties).toMatchObject({ PointInTimeRecoveryEnabled: true, ClientSideTimestampsEnabled: true, BillingMode: { Mode: 'ON_DEMAND' } });
    }
    t.hasResourceProperties('AWS::Cassandra::Table', {
      TableName: 'pixel_history',
      PartitionKeyColumns: [{ ColumnName: 'px', ColumnType: 'int' }, { ColumnName: 'py', ColumnType: 'int' }],
      ClusteringKeyColumns: [{ Column: { ColumnName: 'seq', ColumnType: 'bigint' }, OrderBy: 'DESC' }],
    });
  });

  it('runs the socket servers on Fargate with a health check, a drain before the deregistration delay ends, and two scaling policies', () => {
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [Match.objectLike({
        StopTimeout: STOP_TIMEOUT_S,
        HealthCheck: Match.objectLike({ Command: Match.arrayWith(['CMD']) }),
        Environment: Match.arrayWith([
          { Name: 'CLIENT_ADDRESS_SOURCE', Value: 'cloudfront' },
          { Name: 'SOCKET_DRAIN_MS', Value: String(DRAIN_MS) },
          { Name: 'SOCKET_STOP_POLL_MS', Value: String(STOP_POLL_MS) },
        ]),
      })],
    });
    // The whole spread (and the poll that starts it) ends before the ALB cuts what is left; SIGKILL
    // waits long enough for a whole drain should SIGTERM come first; Fargate allows 120 s at most.
    expect(DEREGISTRATION_DELAY_S * 1000).toBeGreaterThanOrEqual(DRAIN_MS + STOP_POLL_MS + 10_000);
    expect(STOP_TIMEOUT_S * 1000).toBeGreaterThan(DRAIN_MS);
    expect(STOP_TIMEOUT_S).toBeLessThanOrEqual(120);
    const policies = ofType('AWS::ApplicationAutoScaling::ScalingPolicy').map(([, r]) => JSON.stringify(r.Properties));
    expect(policies.some((p) => p.includes('ECSServiceAverageCPUUtilization'))).toBe(true);
    expect(policies.some((p) => p.includes('"MetricName":"Connections"') && p.includes('PixelBoard'))).toBe(true);
  });

  it('serves the moderation page at /admin (admin.html in S3, mapped by a viewer-request function) and deploys its files', () => {
    const [fnId] = ofType('AWS::CloudFront::Function').find(([, fn]) => String(fn.Properties.FunctionCode).includes("r.uri = '/admin.html'"))!;
    const dist = ofType('AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig as { DefaultCacheBehavior: { FunctionAssociations: { FunctionARN: unknown; EventType: string }[] } };
    expect(dist.DefaultCacheBehavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } }]);
    for (const name of ['admin-rollback', 'admin-board', 'admin-audit', 'create-report']) expect(ROUTES.some((r) => r.name === name)).toBe(true);
  });

  it('keeps every log group for the configured retention', () => {
    expect(ofType('AWS::Logs::LogGroup').every(([, r]) => r.Properties.RetentionInDays === 30)).toBe(true);
  });

  it('rate-limits POST /api/pixels and POST /api/session at the edge, and keeps S3 private behind CloudFront', () => {
    const web = app.ofType('AWS::WAFv2::WebACL', app.edgeResources)[0]![1].Properties;
    expect(web.Scope).toBe('CLOUDFRONT');
    const rules = JSON.stringify(web.Rules);
    expect(rules).toContain('"SearchString":"/api/pixels"');
    expect(rules).toContain('"SearchString":"/api/session"');
    expect(rules).toContain('RateBasedStatement');
    t.hasResourceProperties('AWS::S3::Bucket', { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true } });
    // One origin access control per private bucket CloudFront reads: the page and the media.
    expect(ofType('AWS::CloudFront::OriginAccessControl')).toHaveLength(2);
  });

  it('sends the page and the API with the same security headers as the local runner', () => {
    const policies = ofType('AWS::CloudFront::ResponseHeadersPolicy').map(([id, r]) => ({ id, config: (r.Properties as { ResponseHeadersPolicyConfig: Record<string, Record<string, Record<string, unknown>>> }).ResponseHeadersPolicyConfig }));
    const csp = (p: (typeof policies)[number]) => p.config.SecurityHeadersConfig!.ContentSecurityPolicy!.ContentSecurityPolicy;
    expect(policies.map(csp).sort()).toEqual([PAGE_SECURITY_HEADERS['content-security-policy'], API_SECURITY_HEADERS['content-security-policy']].sort());
    for (const p of policies) {
      expect(p.config.SecurityHeadersConfig).toMatchObject({
        ContentTypeOptions: { Override: true }, FrameOptions: { FrameOption: 'DENY' }, StrictTransportSecurity: { IncludeSubdomains: true },
      });
    }
    const [dist] = ofType('AWS::CloudFront::Distribution');
    const config = dist![1].Properties.DistributionConfig as { DefaultCacheBehavior: Record<string, unknown>; CacheBehaviors: Record<string, unknown>[] };
    const page = policies.find((p) => csp(p) === PAGE_SECURITY_HEADERS['content-security-policy'])!.id;
    const apiPolicy = policies.find((p) => p.id !== page)!.id;
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: page });
    for (const b of config.CacheBehaviors.filter((b) => String(b.PathPattern).startsWith('/api'))) expect(b.ResponseHeadersPolicyId).toEqual({ Ref: apiPolicy });
  });

  it('stays within CloudFormation\'s 500 resources a stack (a deploy past it fails)', () => {
    expect(Object.keys(resources).length).toBeLessThanOrEqual(500);
  });

  it('reads settings from context and refuses bad ones by name', () => {
    expect(readSettings((k) => ({ envName: 'prod', boardWidth: '2000' } as Record<string, string>)[k])).toMatchObject({ envName: 'prod', boardWidth: 2000 });
    expect(() => readSettings((k) => (k === 'cooldownMs' ? 'soon' : undefined))).toThrow(/cooldownMs/);
    expect(readSettings((k) => WITH_DOMAIN[k])).toMatchObject(WITH_DOMAIN);
    expect(() => readSettings((k) => ({ domainName: 'place.example.com' } as Record<string, string>)[k])).toThrow(/domainName, hostedZoneId, zoneName/);
    expect(() => readSettings((k) => ({ ...WITH_DOMAIN, zoneName: 'example.org' } as Record<string, string>)[k])).toThrow(/not in the zone/);
    expect(() => readSettings((k) => ({ canaryPixelX: '1000' } as Record<string, string>)[k])).toThrow(/canaryPixelX/);
  });

  it('passes cdk-nag AwsSolutions with every remaining finding acknowledged with a reason, with and without a custom domain', async () => {
    const withDomain = await synthApp(WITH_DOMAIN);
    for (const stack of [app.place, app.edge, withDomain.place, withDomain.edge]) {
      const report = new AwsSolutionsChecks().validateScope(stack);
      expect(report.violations.map((v) => v.ruleName), stack.stackName).toEqual([]);
    }
  });
});
