// Stored media: template images, timelapses, export files. S3 in AWS (s3-media-store.ts), a
// folder locally (DATA_DIR/media); both pass media-store.contract.ts. Keys are paths like
// "templates/<id>.png"; what is stored under a key never changes, so it is cached for good.
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface MediaObject {
  contentType: string;
}

export interface MediaStore {
  put(key: string, bytes: Uint8Array, meta: MediaObject): Promise<void>;
  /** Uploads a file (exports, which may be large) without reading it into memory. */
  putFile(key: string, file: string, meta: MediaObject): Promise<void>;
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Uint8Array | null>;
  /** The size in bytes, or null when nothing is stored under the key. */
  size(key: string): Promise<number | null>;
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** A key that cannot leave the store's folder or prefix. */
export function checkKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.split('/').some((p) => p === '' || p === '.' || p === '..')) throw new Error(`not a media key: ${key}`);
  return key;
}

export class FileMediaStore implements MediaStore {
  constructor(readonly dir: string) {}

  /** Where a key lives on disk (the local runner serves these at MEDIA_URL). */
  filePath(key: string): string {
    return path.join(this.dir, ...checkKey(key).split('/'));
  }

  /** Written to a temporary name, fsynced and renamed: a stored object is always whole. */
  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.filePath(key);
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, target);
  }

  async putFile(key: string, source: string): Promise<void> {
    const target = this.filePath(key);
    await mkdir(path.dirname(target), { recursive: true });
    if (path.resolve(source) === path.resolve(target)) return;
    const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    await copyFile(source, tmp);
    await rename(tmp, target);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return await readFile(this.filePath(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.filePath(key))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** A read stream for a stored file (the local runner's /media/ route). */
  stream(key: string) {
    return createReadStream(this.filePath(key));
  }
}
