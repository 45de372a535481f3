// A CloudWatch Synthetics canary that plays: every canaryEveryMinutes it loads the board, starts a
// session and places a pixel through CloudFront (infra/canary-script.cjs), and an alarm fires when
// it fails twice in a row or stops running.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import type { Settings } from './settings.ts';
import { logBucket } from './log-bucket.ts';

export const CANARY_SCRIPT = path.join(import.meta.dirname, 'canary-script.cjs');

/** Where the canary puts its pixel: the configured spot, or the bottom-right corner. */
export function canaryPixel(settings: Settings): { x: number; y: number; color: number } {
  return { x: settings.canaryPixelX ?? settings.boardWidth - 1, y: settings.canaryPixelY ?? settings.boardHeight - 1, color: settings.canaryColor };
}

export class PlayerCanary extends Construct {
  readonly canary: synthetics.Canary;
  /** Each run's report, screenshots and logs, kept as long as the logs. */
  readonly artifacts: s3.Bucket;

  constructor(scope: Construct, id: string, props: { settings: Settings; siteHost: string }) {
    super(scope, id);
    const { settings } = props;
    const pixel = canaryPixel(settings);
    this.artifacts = logBucket(this, 'Artifacts', settings.logRetentionDays);
    this.canary = new synthetics.Canary(this, 'Canary', {
      canaryName: `place-${settings.envName}-player`,
      runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_13_0,
      test: synthetics.Test.custom({ code: synthetics.Code.fromInline(readFileSync(CANARY_SCRIPT, 'utf8')), handler: 'index.handler' }),
      schedule: synthetics.Schedule.rate(Duration.minutes(settings.canaryEveryMinutes)),
      timeout: Duration.seconds(60),
      environmentVariables: {
        SITE_HOST: props.siteHost,
        BOARD_WIDTH: String(settings.boardWidth),
        BOARD_HEIGHT: String(settings.boardHeight),
        PIXEL_X: String(pixel.x),
        PIXEL_Y: String(pixel.y),
        PIXEL_COLOR: String(pixel.color),
      },
      artifactsBucketLocation: { bucket: this.artifacts },
      provisionedResourceCleanup: true,
    });
  }
}
