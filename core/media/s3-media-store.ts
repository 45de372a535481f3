// Stored media in S3 (MEDIA_BUCKET), each object with its content type and an immutable
// Cache-Control: what is stored under a key never changes.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { GetObjectCommand, HeadObjectCommand, NotFound, NoSuchKey, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { StoreUnavailableError } from '../errors.ts';
import { checkKey, type MediaObject, type MediaStore } from './media-store.ts';

export interface S3MediaOptions {
  bucket: string;
  prefix: string;
  endpoint?: string | null;
  region?: string | null;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

export class S3MediaStore implements MediaStore {
  private readonly s3: S3Client;

  constructor(private readonly options: S3MediaOptions, clientConfig: S3ClientConfig = {}) {
    this.s3 = new S3Client({
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      // Streamed uploads (exports) then go as plain bodies of known length, not aws-chunked with a
      // trailing checksum, which S3-compatible servers (s3rver in the tests) do not all read.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...clientConfig,
    });
  }

  private key(key: string): string {
    return `${this.options.prefix}${checkKey(key)}`;
  }

  private async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new StoreUnavailableError(`S3 ${what} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async put(key: string, bytes: Uint8Array, meta: MediaObject): Promise<void> {
    await this.run('put', () => this.s3.send(new PutObjectCommand({
      Bucket: this.options.bucket, Key: this.key(key), Body: bytes, ContentType: meta.contentType, CacheControl: IMMUTABLE,
    })));
  }

  async putFile(key: string, file: string, meta: MediaObject): Promise<void> {
    const { size } = await stat(file);
    await this.run('put', () => this.s3.send(new PutObjectCommand({
      Bucket: this.options.bucket, Key: this.key(key), Body: createReadStream(file), ContentLength: size, ContentType: meta.contentType, CacheControl: IMMUTABLE,
    })));
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }));
      return await object.Body!.transformToByteArray();
    } catch (err) {
      if (err instanceof NoSuchKey) return null;
      throw new StoreUnavailableError(`S3 get failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }));
      return head.ContentLength ?? 0;
    } catch (err) {
      if (err instanceof NotFound || (err as { name?: string }).name === 'NotFound') return null;
      throw new StoreUnavailableError(`S3 head failed: ${(err as Error).message}`, { cause: err });
    }
  }

  destroy(): void {
    this.s3.destroy();
  }
}
