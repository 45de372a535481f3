// Persistence in Cassandra / Amazon Keyspaces. Every statement is prepared, and every write
// carries USING TIMESTAMP <version>, so a pixel's row ends at its highest seq whatever order
// concurrent writes arrive in, and re-recording a placement is harmless.
import type cassandra from 'cassandra-driver';
import type { Cooldown, Placement } from '../domain/placement.ts';
import { StoreUnavailableError } from '../errors.ts';
import { reportFailure } from '../observability/telemetry.ts';
import type { CassandraConfig } from '../config.ts';
import { createCassandraClient } from './cassandra-client.ts';
import type { PixelLog } from './pixel-log.ts';

const INSERT_PIXEL = 'INSERT INTO pixels (px, py, color, seq, version, user_id, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?';
const INSERT_HISTORY = 'INSERT INTO pixel_history (px, py, seq, color, version, user_id, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?';
const INSERT_USER = 'INSERT INTO user_placements (user_id, last_placed_at, last_seq) VALUES (?, ?, ?) USING TIMESTAMP ?';
const SELECT_PIXEL = 'SELECT px, py, color, seq, version, user_id, placed_at FROM pixels WHERE px = ? AND py = ?';
const SELECT_HISTORY = 'SELECT px, py, color, seq, version, user_id, placed_at FROM pixel_history WHERE px = ? AND py = ? LIMIT ?';
const SELECT_USER = 'SELECT last_placed_at FROM user_placements WHERE user_id = ?';
const SCAN_PIXELS = 'SELECT px, py, color, seq, version, user_id, placed_at FROM pixels';
const SCAN_USERS = 'SELECT user_id, last_placed_at FROM user_placements';

function toPlacement(row: cassandra.types.Row): Placement {
  return {
    x: row.get('px') as number,
    y: row.get('py') as number,
    color: row.get('color') as number,
    seq: Number(row.get('seq')),
    version: Number(row.get('version')),
    userId: row.get('user_id') as string,
    placedAt: (row.get('placed_at') as Date).getTime(),
  };
}

/** The driver's result stream is a Readable (async-iterable) typed as a plain EventEmitter. */
function rowsOf(stream: unknown): AsyncIterable<cassandra.types.Row> {
  return stream as AsyncIterable<cassandra.types.Row>;
}

export class CassandraPixelLog implements PixelLog {
  private constructor(private readonly client: cassandra.Client) {}

  static async connect(config: CassandraConfig): Promise<CassandraPixelLog> {
    const client = await createCassandraClient(config, true);
    try {
      await client.connect();
    } catch (err) {
      // The connect failure is what the caller needs; a failing shutdown of a client that never connected is only logged.
      await client.shutdown().catch((shutdownErr: unknown) => reportFailure('cassandra-shutdown', shutdownErr));
      throw new StoreUnavailableError(`cannot reach Cassandra at ${config.contactPoints.join(',')}: ${(err as Error).message}`, { cause: err, store: 'cassandra' });
    }
    return new CassandraPixelLog(client);
  }

  private async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new StoreUnavailableError(`Cassandra ${what} failed: ${(err as Error).message}`, { cause: err, store: 'cassandra' });
    }
  }

  async record(p: Placement): Promise<void> {
    const placedAt = new Date(p.placedAt);
    // One unlogged batch: one round trip for the three rows (each row is its own idempotent
    // insert, so a partly applied batch is completed by the retry or the pending drain).
    await this.run('record', () => this.client.batch([
      { query: INSERT_PIXEL, params: [p.x, p.y, p.color, p.seq, p.version, p.userId, placedAt, p.version] },
      { query: INSERT_HISTORY, params: [p.x, p.y, p.seq, p.color, p.version, p.userId, placedAt, p.version] },
      { query: INSERT_USER, params: [p.userId, placedAt, p.seq, p.version] },
    ], { prepare: true, logged: false, isIdempotent: true }));
  }

  async pixel(x: number, y: number): Promise<Placement | null> {
    const result = await this.run('pixel', () => this.client.execute(SELECT_PIXEL, [x, y], { prepare: true }));
    const row = result.first();
    return row ? toPlacement(row) : null;
  }

  async history(x: number, y: number, limit: number): Promise<Placement[]> {
    const result = await this.run('history', () => this.client.execute(SELECT_HISTORY, [x, y, limit], { prepare: true }));
    return result.rows.map(toPlacement);
  }

  async lastPlacement(userId: string): Promise<number | null> {
    const result = await this.run('user', () => this.client.execute(SELECT_USER, [userId], { prepare: true }));
    const at = result.first()?.get('last_placed_at') as Date | undefined;
    return at ? at.getTime() : null;
  }

  async scanPixels(visit: (p: Placement) => void, onProgress?: (visited: number) => void): Promise<void> {
    let n = 0;
    await this.run('scan', async () => {
      for await (const row of rowsOf(this.client.stream(SCAN_PIXELS, [], { prepare: true, fetchSize: 5000, autoPage: true }))) {
        visit(toPlacement(row));
        if (++n % 100_000 === 0) onProgress?.(n);
      }
    });
    onProgress?.(n);
  }

  async placementsSince(since: number): Promise<Cooldown[]> {
    const out: Cooldown[] = [];
    await this.run('scan users', async () => {
      for await (const row of rowsOf(this.client.stream(SCAN_USERS, [], { prepare: true, fetchSize: 5000, autoPage: true }))) {
                const at = (row.get('last_placed_at') as Date).getTime();
        if (at >= since) out.push({ userId: row.get('user_id') as string, placedAt: at });
      }
    });
    return out;
  }

  async seqFloor(): Promise<number> {
    return 0; // Cassandra loses nothing it acknowledged: the scan's highest seq is the floor.
  }

  async ping(): Promise<void> {
    await this.run('ping', () => this.client.execute('SELECT release_version FROM system.local'));
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }
}
