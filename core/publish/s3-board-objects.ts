// Published boards in S3 (BOARD_PUBLISH_BUCKET: the bucket CloudFront serves the page from, under
// boards/), immutable and gzip-encoded as browsers take them; the board's head rides along as
// object metadata (x-amz-meta-board-*). A lifecycle rule deletes them after a day.
import { PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { BoardHead } from '../board-store/board-store.ts';
import { StoreUnavailableError } from '../errors.ts';
import type { BoardObjects } from './published-board.ts';

export interface S3BoardObjectsOptions {
  bucket: string;
  endpoint?: string | null;
  region?: string | null;
}

export class S3BoardObjects implements BoardObjects {
  private readonly s3: S3Client;

  constructor(private readonly options: S3BoardObjectsOptions, clientConfig: S3ClientConfig = {}) {
    this.s3 = new S3Client({
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...clientConfig,
    });
  }

  async put(key: string, body: Uint8Array, head: BoardHead): Promise<void> {
    const png = key.endsWith('.png');
    try {
      await this.s3.send(new PutObjectCommand({
        Bucket: this.options.bucket, Key: key, Body: body,
        ContentType: png ? 'image/png' : 'application/octet-stream',
        ...(png ? {} : { ContentEncoding: 'gzip' }),
        CacheControl: 'public, max-age=31536000, immutable',
        Metadata: { 'board-seq': String(head.seq), 'board-epoch': String(head.epoch), 'board-width': String(head.width), 'board-height': String(head.height) },
      }));
    } catch (err) {
      throw new StoreUnavailableError(`S3 put of ${key} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async prune(): Promise<void> {
    // The bucket's lifecycle rule expires boards/ after a day: nothing to do per publish.
  }
}
