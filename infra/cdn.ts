// CloudFront in front of everything: the web page from S3 (origin access control only; CloudFront
// compresses it and keeps the content-hashed files for as long as their Cache-Control says),
// /api/board* cached for about a second (one origin fetch per edge per second, however many
// viewers), the rest of /api/* and /ws passed through uncached with what they need forwarded.
import { Construct } from 'constructs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { Settings } from './settings.ts';
import { logBucket } from './log-bucket.ts';
import { IMMUTABLE, PAGE_SECURITY_HEADERS, REVALIDATE } from '../local/web-build.ts';
import { API_SECURITY_HEADERS } from '../lambdas/http/responses.ts';

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
  alb: elbv2.IApplicationLoadBalancer;
  albHttps: boolean;
  webDir: string;
  webAclArn: string;
}

export class Cdn extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly boardCachePolicy: cloudfront.CachePolicy;
  readonly site: s3.Bucket;

  constructor(scope: Construct, id: string, props: CdnProps) {
    super(scope, id);
    // CloudFront standard logs need ACLs: bucket-owner-preferred ownership.
    const logs = logBucket(this, 'Logs', props.settings.logRetentionDays, s3.ObjectOwnership.BUCKET_OWNER_PREFERRED);
    this.site = new s3.Bucket(this, 'Site', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    this.boardCachePolicy = new cloudfront.CachePolicy(this, 'BoardCache', {
      comment: 'Board bytes and PNG: about a second, as the origin says',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(1),
      maxTtl: Duration.seconds(60),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const pageHeaders = securityHeaders(this, 'PageHeaders', PAGE_SECURITY_HEADERS, 'The page: scripts, styles and connections from this origin only; no framing');
    const apiHeaders = securityHeaders(this, 'ApiHeaders', API_SECURITY_HEADERS, 'The API: nothing runs, frames or sniffs a response');

    const api = new origins.LoadBalancerV2Origin(props.alb, {
      protocolPolicy: props.albHttps ? cloudfront.OriginProtocolPolicy.HTTPS_ONLY : cloudfront.OriginProtocolPolicy.HTTP_ONLY,
      readTimeout: Duration.seconds(30),
      keepaliveTimeout: Duration.seconds(60),
    });
    const passThrough: cloudfront.BehaviorOptions = {
      origin: api,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Cookies (the session), the query (?since=, ?token=) and every header, WebSocket ones included.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiHeaders,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `pixel board (${props.settings.envName})`,
      defaultRootObject: 'index.html',
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.site),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: pageHeaders,
        compress: true,
      },
      additionalBehaviors: {
        // Order matters: CloudFront takes the first pattern that matches.
        '/api/board*': {
          origin: api,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
          cachePolicy: this.boardCachePolicy,
          responseHeadersPolicy: apiHeaders,
          compress: true,
        },
        '/api/*': passThrough,
        '/healthz': passThrough,
        '/ws': { ...passThrough, responseHeadersPolicy: undefined },
      },
    });

    // Two copies of the built page: the content-hashed script and stylesheet, cached for good
    // (a new build has new names; old ones stay for tabs still holding an old index.html), and
    // index.html, revalidated on every visit and invalidated at the edge on every deploy.
    new s3deploy.BucketDeployment(this, 'DeployAssets', {
      sources: [s3deploy.Source.asset(props.webDir)],
      destinationBucket: this.site,
      exclude: ['index.html'],
      prune: false,
      cacheControl: [s3deploy.CacheControl.fromString(IMMUTABLE)],
    });
    new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [s3deploy.Source.asset(props.webDir)],
      destinationBucket: this.site,
      exclude: ['*'],
      include: ['index.html'],
      prune: false,
      cacheControl: [s3deploy.CacheControl.fromString(REVALIDATE)],
      distribution: this.distribution,
      distributionPaths: ['/', '/index.html'],
    });
  }
}
