// Snapshots in a folder (DATA_DIR/snapshots): written to a temporary name, fsynced and renamed,
// so a listed snapshot is always whole.
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { gunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { parseSnapshotName, snapshotName, type NewSnapshot, type SnapshotMeta, type SnapshotStore } from './snapshot-store.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export class FileSnapshotStore implements SnapshotStore {
  constructor(readonly dir: string) {}

  async put(snapshot: NewSnapshot): Promise<SnapshotMeta> {
    await mkdir(this.dir, { recursive: true });
    const name = snapshotName(snapshot);
    const tmp = path.join(this.dir, `.${name}.tmp`);
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(await gzipAsync(snapshot.bytes, { level: 6 }));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path.join(this.dir, name));
    return parseSnapshotName(name)!;
  }

  async list(): Promise<SnapshotMeta[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names.map((n) => parseSnapshotName(n)).filter((m): m is SnapshotMeta => m !== null).sort((a, b) => a.seq - b.seq);
  }

  async read(meta: SnapshotMeta): Promise<Uint8Array> {
    return gunzipAsync(await readFile(path.join(this.dir, meta.key)));
  }

  /** Where a snapshot's gzipped bytes are on disk (the local runner serves them). */
  filePath(meta: SnapshotMeta): string {
    return path.join(this.dir, meta.key);
  }
}
