// Templates in persistence: one row each in Cassandra / Keyspaces (table `templates`), or one
// JSON file each under DATA_DIR/templates locally. Both pass template-records.contract.ts.
import type cassandra from 'cassandra-driver';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { StoreUnavailableError } from '../errors.ts';
import type { TemplateMeta } from './community-store.ts';

export interface TemplateRecord extends TemplateMeta {
  createdBy: string;
}

export interface TemplateRecords {
  put(record: TemplateRecord): Promise<void>;
  get(id: string): Promise<TemplateRecord | null>;
}

export const TEMPLATE_ID = /^[A-Za-z0-9_-]{11}$/;

export class FileTemplateRecords implements TemplateRecords {
  constructor(readonly dir: string) {}

  private file(id: string): string {
    if (!TEMPLATE_ID.test(id)) throw new Error(`not a template id: ${id}`);
    return path.join(this.dir, `${id}.json`);
  }

  async put(record: TemplateRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.file(record.id);
    const tmp = `${target}.tmp`;
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify(record));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  }

  async get(id: string): Promise<TemplateRecord | null> {
    try {
      return JSON.parse(await readFile(this.file(id), 'utf8')) as TemplateRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}

const INSERT = 'INSERT INTO templates (id, name, px, py, width, height, pixels, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
const SELECT = 'SELECT id, name, px, py, width, height, pixels, created_by, created_at FROM templates WHERE id = ?';

export class CassandraTemplateRecords implements TemplateRecords {
  constructor(private readonly client: cassandra.Client) {}

  private async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new StoreUnavailableError(`Cassandra ${what} failed: ${(err as Error).message}`, { cause: err, store: 'cassandra' });
    }
  }

  async put(r: TemplateRecord): Promise<void> {
    await this.run('template put', () => this.client.execute(INSERT, [r.id, r.name, r.x, r.y, r.width, r.height, r.pixels, r.createdBy, new Date(r.createdAt)], { prepare: true }));
  }

  async get(id: string): Promise<TemplateRecord | null> {
    const row = (await this.run('template get', () => this.client.execute(SELECT, [id], { prepare: true }))).first();
    if (!row) return null;
    return {
      id: row.get('id') as string, name: row.get('name') as string, x: row.get('px') as number, y: row.get('py') as number,
      width: row.get('width') as number, height: row.get('height') as number, pixels: row.get('pixels') as number,
      createdBy: row.get('created_by') as string, createdAt: (row.get('created_at') as Date).getTime(),
    };
  }
}
