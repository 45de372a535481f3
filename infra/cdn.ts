// CloudFront in front of everything: the web page from S3 (origin access control only),
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
          compress: true,
        },
        '/api/*': passThrough,
        '/healthz': passThrough,
        '/ws': passThrough,
      },
    });

    new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [s3deploy.Source.asset(props.webDir)],
      destinationBucket: this.site,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/app.js', '/app.css'],
    });
  }
}
