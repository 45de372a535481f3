// Snapshots in S3 (SNAPSHOT_BUCKET): gzipped objects with Content-Encoding gzip and an immutable
// Cache-Control, so CloudFront can serve a board snapshot to browsers as it is.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { gunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { StoreUnavailableError } from '../errors.ts';
import { parseSnapshotName, snapshotName, type NewSnapshot, type SnapshotMeta, type SnapshotStore } from './snapshot-store.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export interface S3SnapshotOptions {
  bucket: string;
  /** Key prefix, e.g. "snapshots/". */
  prefix: string;
  /** An S3-compatible endpoint instead of AWS's (tests). */
  endpoint?: string | null;
  region?: string | null;
}

export class S3SnapshotStore implements SnapshotStore {
  private readonly s3: S3Client;

  constructor(private readonly options: S3SnapshotOptions, clientConfig: S3ClientConfig = {}) {
    this.s3 = new S3Client({
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...clientConfig,
    });
  }

  private async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new StoreUnavailableError(`S3 ${what} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async put(snapshot: NewSnapshot): Promise<SnapshotMeta> {
    const key = `${this.options.prefix}${snapshotName(snapshot)}`;
    const body = await gzipAsync(snapshot.bytes, { level: 6 });
    await this.run('put', () => this.s3.send(new PutObjectCommand({
      Bucket: this.options.bucket, Key: key, Body: body,
      ContentType: 'application/octet-stream', ContentEncoding: 'gzip', CacheControl: 'public, max-age=31536000, immutable',
    })));
    return parseSnapshotName(snapshotName(snapshot), key)!;
  }

  async list(): Promise<SnapshotMeta[]> {
    const out: SnapshotMeta[] = [];
    let token: string | undefined;
    do {
      const page = await this.run('list', () => this.s3.send(new ListObjectsV2Command({
        Bucket: this.options.bucket, Prefix: this.options.prefix, ContinuationToken: token,
      })));
      for (const o of page.Contents ?? []) {
        const meta = o.Key ? parseSnapshotName(o.Key.slice(this.options.prefix.length), o.Key) : null;
        if (meta) out.push(meta);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => a.seq - b.seq);
  }

  async read(meta: SnapshotMeta): Promise<Uint8Array> {
    const object = await this.run('get', () => this.s3.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: meta.key })));
    const bytes = await this.run('get', async () => Buffer.from(await object.Body!.transformToByteArray()));
    return gunzipAsync(bytes);
  }

  destroy(): void {
    this.s3.destroy();
  }
}
