// The S3 adapter with the real AWS SDK against s3rver, an S3-compatible server, on loopback.
import { afterAll, beforeAll } from 'vitest';
import S3rver from 's3rver';
import { randomBytes } from 'node:crypto';
import { S3MediaStore } from './s3-media-store.ts';
import { describeMediaStoreContract } from './media-store.contract.ts';
import { freePort, tempDir } from '../../test-support/test-services.ts';

let server: S3rver;
let endpoint: string;
beforeAll(async () => {
  const port = await freePort();
  server = new S3rver({ port, address: '127.0.0.1', silent: true, directory: tempDir('s3rver'), configureBuckets: [{ name: 'media', configs: [] }] });
  await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => server.close());

describeMediaStoreContract('s3', async () => {
  const store = new S3MediaStore({ bucket: 'media', prefix: `t${randomBytes(4).toString('hex')}/`, endpoint, region: 'us-east-1' }, {
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return { store, close: async () => store.destroy() };
});
