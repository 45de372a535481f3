// CloudFront is the only way in: the web page from S3 (origin access control only; CloudFront
// compresses it and keeps the content-hashed files for as long as their Cache-Control says), and
// the API and WebSockets from the internal ALB through a VPC origin (a private connection into the
// VPC; the ALB admits nothing else). /api/board* is cached for about a second (one origin fetch per
// edge per second, however many viewers), the rest of /api/* and /ws pass through uncached with
// what they need forwarded, including the viewer's address and protocol. HTTPS for viewers (HTTP
// redirected); with a custom domain, its certificate at TLSv1.2_2021 or better, alias records, and
// HTTPS on to the ALB.
import { Construct } from 'constructs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cr from 'aws-cdk-lib/custom-resources';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { Settings } from './settings.ts';
import { customDomain } from './load-balancer.ts';
import { logBucket } from './log-bucket.ts';
import { ADMIN_PATH, IMMUTABLE, PAGE_SECURITY_HEADERS, REVALIDATE } from '../local/web-build.ts';
import { API_SECURITY_HEADERS } from '../lambdas/http/responses.ts';
import { PUBLISHED_PREFIX } from '../core/publish/published-board.ts';

/** Headers CloudFront adds that the origin reads (core/domain/client-ip.ts, lambdas/http/request.ts). */
export const CLOUDFRONT_HEADERS = ['CloudFront-Viewer-Address', 'CloudFront-Forwarded-Proto'];

/** A response headers policy with the security headers the local runner sends, from the same objects. */
function securityHeaders(scope: Construct, id: string, headers: Readonly<Record<string, string>>, comment: string): cloudfront.ResponseHeadersPolicy {
  const referrer = headers['referrer-policy'] === 'no-referrer'
    ? cloudfront.HeadersReferrerPolicy.NO_REFERRER : cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN;
  return new cloudfront.ResponseHeadersPolicy(scope, id, {
    comment,
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: headers['content-security-policy']!, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: referrer, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
    },
  });
}

export interface CdnProps {
  settings: Settings;
  vpc: ec2.IVpc;
  alb: elbv2.ApplicationLoadBalancer;
  /** The ALB listener's port: 443 (HTTPS) with a custom domain, 80 without. */
  albPort: number;
  webDir: string;
  webAclArn: string;
  /** The us-east-1 certificate for the custom domain (edge stack); null without one. */
  viewerCertificate: acm.ICertificate | null;
  /** Stored media (timelapses too large for a function's answer): served at /media/* (MEDIA_URL). */
  media?: s3.IBucket;
}

/** GET-only API paths whose answers the origin marks cacheable (immutable when they describe the past): issue 12. */
export const HISTORY_PATHS = ['/api/templates/*', '/api/timelapse.webp', '/api/heatmap.png', '/api/history'];

export class Cdn extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly boardCachePolicy: cloudfront.CachePolicy;
  readonly historyCachePolicy: cloudfront.CachePolicy;
  readonly updatesCachePolicy: cloudfront.CachePolicy;
  readonly apiRequestPolicy: cloudfront.OriginRequestPolicy;
  readonly vpcOrigin: cloudfront.VpcOrigin;
  readonly site: s3.Bucket;
  /** What viewers type: the custom domain, or the distribution's *.cloudfront.net name. */
  readonly siteHost: string;

  constructor(scope: Construct, id: string, props: CdnProps) {
    super(scope, id);
    const { settings } = props;
    const domain = customDomain(settings);
    // CloudFront standard logs need ACLs: bucket-owner-preferred ownership.
    const logs = logBucket(this, 'Logs', settings.logRetentionDays, s3.ObjectOwnership.BUCKET_OWNER_PREFERRED);
    this.site = new s3.Bucket(this, 'Site', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
      // Published boards (boards/, written every second or so) are only ever read while newest.
      lifecycleRules: [{ id: 'ExpirePublishedBoards', prefix: PUBLISHED_PREFIX, expiration: Duration.days(1) }],
    });

    this.boardCachePolicy = new cloudfront.CachePolicy(this, 'BoardCache', {
      comment: 'Board bytes and PNG: about a second, as the origin says; board.png?at= / ?seq= (the past) for good',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(1),
      // The origin decides: max-age=1 for the live board, a year (immutable) for a settled past one.
      maxTtl: Duration.days(365),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      // ?at= and ?seq= name another image: they must be in the key (anything else is dropped).
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList('at', 'seq'),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // The viewer's address reaches the origin on cached paths too (not in the cache key): past
    // boards are computed per request when not cached, and capped per address (issue 12).
    const viewerAddress = new cloudfront.OriginRequestPolicy(this, 'ViewerAddress', {
      comment: 'CloudFront-Viewer-Address only (the query in the cache key is forwarded anyway)',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList('CloudFront-Viewer-Address'),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.none(),
    });
    this.historyCachePolicy = new cloudfront.CachePolicy(this, 'HistoryCache', {
      comment: 'Templates, history, timelapses, heatmaps: as long as the origin says (a year when immutable); the query is the key',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(365),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // Update segments: the origin says how long (a full segment never changes: a year; the open one: a second).
    this.updatesCachePolicy = new cloudfront.CachePolicy(this, 'UpdatesCache', {
      comment: 'Update segments: as long as the origin says (full ones for good, the open one a second)',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(1),
      maxTtl: Duration.days(365),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // Every viewer header (WebSocket ones included; Host too, which the origin certificate covers),
    // cookies (the session), the query (?since=, ?token=), and the viewer's address and protocol.
    this.apiRequestPolicy = new cloudfront.OriginRequestPolicy(this, 'ApiRequests', {
      comment: 'All viewer headers, cookies and query, plus CloudFront-Viewer-Address and CloudFront-Forwarded-Proto',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.all(...CLOUDFRONT_HEADERS),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.all(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
    });

    const pageHeaders = securityHeaders(this, 'PageHeaders', PAGE_SECURITY_HEADERS, 'The page: scripts, styles and connections from this origin only; no framing');
    const apiHeaders = securityHeaders(this, 'ApiHeaders', API_SECURITY_HEADERS, 'The API: nothing runs, frames or sniffs a response');

    this.vpcOrigin = new cloudfront.VpcOrigin(this, 'AlbOrigin', {
      endpoint: cloudfront.VpcOriginEndpoint.applicationLoadBalancer(props.alb),
      vpcOriginName: `place-${settings.envName}-alb`,
      // With a custom domain, TLS all the way to the ALB; without, there is no name a certificate
      // could carry, and the VPC origin's private connection carries plain HTTP.
      protocolPolicy: domain ? cloudfront.OriginProtocolPolicy.HTTPS_ONLY : cloudfront.OriginProtocolPolicy.HTTP_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    const api = origins.VpcOrigin.withVpcOrigin(this.vpcOrigin, {
      domainName: domain?.originDomainName,
      readTimeout: Duration.seconds(30),
      keepaliveTimeout: Duration.seconds(60),
    });
    this.admitVpcOrigin(props);

    const passThrough: cloudfront.BehaviorOptions = {
      origin: api,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: this.apiRequestPolicy,
      responseHeadersPolicy: apiHeaders,
    };

    // The moderation page is admin.html in the bucket; viewers ask for /admin (as locally).
    const adminPage = new cloudfront.Function(this, 'AdminPage', {
      comment: `${ADMIN_PATH} is admin.html`,
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        `function handler(event) { var r = event.request; if (r.uri === '${ADMIN_PATH}' || r.uri === '${ADMIN_PATH}/') r.uri = '/admin.html'; return r; }`,
      ),
    });

    const siteOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.site);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `pixel board (${settings.envName})`,
      // A custom domain's certificate, at TLSv1.2_2021 or better (the default *.cloudfront.net one is fixed at TLSv1).
      ...(domain && props.viewerCertificate ? {
        domainNames: [domain.domainName],
        certificate: props.viewerCertificate,
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        sslSupportMethod: cloudfront.SSLMethod.SNI,
      } : {}),
      defaultRootObject: 'index.html',
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: siteOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: pageHeaders,
        compress: true,
        functionAssociations: [{ function: adminPage, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // Order matters: CloudFront takes the first pattern that matches.
        '/api/board*': {
          origin: api,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
          cachePolicy: this.boardCachePolicy,
          originRequestPolicy: viewerAddress,
          responseHeadersPolicy: apiHeaders,
          compress: true,
        },
        '/api/updates/*': {
          origin: api,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
          cachePolicy: this.updatesCachePolicy,
          responseHeadersPolicy: apiHeaders,
          compress: true,
        },
        // Published boards (GET /api/board redirects here): immutable objects, gzip-encoded in S3.
        [`/${PUBLISHED_PREFIX}*`]: {
          origin: siteOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: apiHeaders,
          compress: true,
        },
        ...Object.fromEntries(HISTORY_PATHS.map((pattern) => [pattern, {
          origin: api,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
          cachePolicy: this.historyCachePolicy,
          originRequestPolicy: viewerAddress,
          responseHeadersPolicy: apiHeaders,
          compress: true,
        } satisfies cloudfront.BehaviorOptions])),
        ...(props.media ? {
          '/media/*': {
            origin: origins.S3BucketOrigin.withOriginAccessControl(props.media),
            viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
            responseHeadersPolicy: apiHeaders,
          } satisfies cloudfront.BehaviorOptions,
        } : {}),
        '/api/*': passThrough,
        '/healthz': passThrough,
        '/ws': { ...passThrough, responseHeadersPolicy: undefined },
      },
    });

    this.siteHost = domain?.domainName ?? this.distribution.distributionDomainName;
    if (domain) {
      const zone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', domain.zone);
      const target = route53.RecordTarget.fromAlias(new route53targets.CloudFrontTarget(this.distribution));
      new route53.ARecord(this, 'Alias', { zone, recordName: domain.domainName, target });
      new route53.AaaaRecord(this, 'AliasV6', { zone, recordName: domain.domainName, target });
    }

    // Two copies of the built pages: the content-hashed scripts and stylesheets, cached for good
    // (a new build has new names; old ones stay for tabs still holding an old page), and
    // index.html and admin.html, revalidated on every visit and invalidated at the edge on every deploy.
    new s3deploy.BucketDeployment(this, 'DeployAssets', {
      sources: [s3deploy.Source.asset(props.webDir)],
      destinationBucket: this.site,
      exclude: ['index.html', 'admin.html'],
      prune: false,
      cacheControl: [s3deploy.CacheControl.fromString(IMMUTABLE)],
    });
    new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [s3deploy.Source.asset(props.webDir)],
      destinationBucket: this.site,
      exclude: ['*'],
      include: ['index.html', 'admin.html'],
      prune: false,
      cacheControl: [s3deploy.CacheControl.fromString(REVALIDATE)],
      distribution: this.distribution,
      distributionPaths: ['/', '/index.html', ADMIN_PATH, '/admin.html'],
    });
  }

  /**
   * The ALB admits CloudFront's VPC origin and nothing else: CloudFront creates the security group
   * "CloudFront-VPCOrigins-Service-SG" in the VPC with the first VPC origin, and CloudFormation does
   * not return its id, so a custom resource reads it (after the VPC origin exists; no synth-time
   * lookup) and one ingress rule admits it on the listener's port.
   */
  private admitVpcOrigin(props: CdnProps): void {
    const find = {
      service: 'EC2',
      action: 'DescribeSecurityGroups',
      parameters: { Filters: [{ Name: 'vpc-id', Values: [props.vpc.vpcId] }, { Name: 'group-name', Values: ['CloudFront-VPCOrigins-Service-SG'] }] },
      physicalResourceId: cr.PhysicalResourceId.of(`${props.vpc.vpcId}/CloudFront-VPCOrigins-Service-SG`),
      outputPaths: ['SecurityGroups.0.GroupId'],
    };
    const originGroup = new cr.AwsCustomResource(this, 'VpcOriginSecurityGroup', {
      onCreate: find,
      onUpdate: find,
      // DescribeSecurityGroups cannot be scoped to a resource.
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    originGroup.node.addDependency(this.vpcOrigin);
    // A separate rule (not alb.connections.allowFrom), so the ALB's group does not depend on the origin that depends on the ALB.
    new ec2.CfnSecurityGroupIngress(this, 'AlbFromVpcOrigin', {
      groupId: props.alb.connections.securityGroups[0]!.securityGroupId,
      sourceSecurityGroupId: originGroup.getResponseField('SecurityGroups.0.GroupId'),
      ipProtocol: 'tcp',
      fromPort: props.albPort,
      toPort: props.albPort,
      description: 'CloudFront VPC origin to the ALB',
    });
  }
}
