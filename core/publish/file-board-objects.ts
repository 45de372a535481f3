// Published boards in a folder (DATA_DIR/boards) for the local run, served at /boards/ by the
// runner (local/published-boards.ts). Written aside and renamed, so a served file is whole.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BoardHead } from '../board-store/board-store.ts';
import { parsePublishedKey, PUBLISHED_PREFIX, type BoardObjects } from './published-board.ts';

export class FileBoardObjects implements BoardObjects {
  /** `dir` holds boards/<epoch>/<seq>-<w>x<h>.<kind>. */
  constructor(readonly dir: string) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    const file = path.join(this.dir, key);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.tmp`;
    await writeFile(temp, body);
    await rename(temp, file);
  }

  async prune(keep: number): Promise<void> {
    const root = path.join(this.dir, PUBLISHED_PREFIX);
    let epochs: string[];
    try {
      epochs = await readdir(root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const all: { file: string; head: BoardHead & { kind: string } }[] = [];
    for (const epoch of epochs) {
      for (const name of await readdir(path.join(root, epoch))) {
        const head = parsePublishedKey(`${PUBLISHED_PREFIX}${epoch}/${name}`);
        if (head) all.push({ file: path.join(root, epoch, name), head });
      }
    }
    for (const kind of ['bin', 'png']) {
      const newestFirst = all.filter((o) => o.head.kind === kind).sort((a, b) => b.head.epoch - a.head.epoch || b.head.seq - a.head.seq);
      await Promise.all(newestFirst.slice(keep).map((o) => rm(o.file, { force: true })));
    }
  }
}
