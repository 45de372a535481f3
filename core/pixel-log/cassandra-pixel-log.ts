// Persistence in Cassandra / Amazon Keyspaces. Every statement is prepared, and every write
// carries USING TIMESTAMP <version>, so rows end at their highest seq whatever order concurrent
// writes arrive in, and re-recording a placement is harmless.
import type cassandra from 'cassandra-driver';
import type { Placement } from '../domain/placement.ts';
import type { BoardSize } from '../domain/board-codec.ts';
import { StoreUnavailableError } from '../errors.ts';
import { reportFailure } from '../observability/telemetry.ts';
import type { CassandraConfig } from '../config.ts';
import { createCassandraClient } from './cassandra-client.ts';
import { AREA_HOUR_MS, AREA_SHARDS, AREA_TILE, JOURNAL_BUCKET_SEQS, JOURNAL_SHARDS } from './cassandra-schema.ts';
import type { AreaPlacements, AreaQuery, PixelLog } from './pixel-log.ts';

const COLUMNS = 'seq, px, py, color, version, user_id, placed_at';
const INSERT_HISTORY = 'INSERT INTO pixel_history (px, py, seq, color, version, user_id, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?';
const INSERT_JOURNAL = 'INSERT INTO placements_by_seq (bucket, shard, seq, px, py, color, version, user_id, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?';
const INSERT_USER = 'INSERT INTO user_placements (user_id, last_placed_at, last_seq) VALUES (?, ?, ?) USING TIMESTAMP ?';
const SELECT_HISTORY = `SELECT ${COLUMNS} FROM pixel_history WHERE px = ? AND py = ? LIMIT ?`;
const SELECT_USER = 'SELECT last_placed_at FROM user_placements WHERE user_id = ?';
const SELECT_RANGE = `SELECT ${COLUMNS} FROM placements_by_seq WHERE bucket = ? AND shard = ? AND seq > ? AND seq <= ?`;
const INSERT_AREA = 'INSERT INTO placements_by_area (tx, ty, hour, shard, seq, px, py, color, version, user_id, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?';
const SELECT_AREA = `SELECT ${COLUMNS} FROM placements_by_area WHERE tx = ? AND ty = ? AND hour = ? AND shard = ?`;
/** Partitions of one hour read side by side. */
const AREA_CONCURRENCY = 32;
const UPSERT_SETTING = 'INSERT INTO board_settings (name, width, height) VALUES (?, ?, ?)';
const SELECT_SETTING = 'SELECT width, height FROM board_settings WHERE name = ?';
const SELECT_LAST = 'SELECT seq FROM placements_by_seq WHERE bucket = ? AND shard = ? ORDER BY seq DESC LIMIT 1';

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

const bucketOf = (seq: number) => Math.floor(seq / JOURNAL_BUCKET_SEQS);
const SHARDS = Array.from({ length: JOURNAL_SHARDS }, (_, i) => i);

export class CassandraPixelLog implements PixelLog {
  private constructor(private readonly client: cassandra.Client) {}

  /** The connection, for tables outside the pixel log that share it (core/community). */
  get connection(): cassandra.Client {
    return this.client;
  }

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
    // One unlogged batch: one round trip for the four rows (each row is its own idempotent
    // insert, so a partly applied batch is completed by the retry or the pending drain).
    await this.run('record', () => this.client.batch([
      { query: INSERT_HISTORY, params: [p.x, p.y, p.seq, p.color, p.version, p.userId, placedAt, p.version] },
      { query: INSERT_JOURNAL, params: [bucketOf(p.seq), p.seq % JOURNAL_SHARDS, p.seq, p.x, p.y, p.color, p.version, p.userId, placedAt, p.version] },
      { query: INSERT_USER, params: [p.userId, placedAt, p.seq, p.version] },
      {
        query: INSERT_AREA,
        params: [Math.floor(p.x / AREA_TILE), Math.floor(p.y / AREA_TILE), Math.floor(p.placedAt / AREA_HOUR_MS), p.seq % AREA_SHARDS,
          p.seq, p.x, p.y, p.color, p.version, p.userId, placedAt, p.version],
      },
    ], { prepare: true, logged: false, isIdempotent: true }));
  }

  async pixel(x: number, y: number): Promise<Placement | null> {
    return (await this.history(x, y, 1))[0] ?? null;
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

  async replay(afterSeq: number, upToSeq: number, visit: (p: Placement) => void): Promise<void> {
    const last = Number.isFinite(upToSeq) ? upToSeq : await this.seqFloor();
    for (let bucket = bucketOf(afterSeq + 1); bucket <= bucketOf(last); bucket++) {
      // The shards of one bucket are read side by side, then merged into seq order.
      const rows = await this.run('replay', async () => {
        const parts = await Promise.all(SHARDS.map(async (shard) => {
          const out: Placement[] = [];
          const stream = this.client.stream(SELECT_RANGE, [bucket, shard, afterSeq, last], { prepare: true, fetchSize: 5000, autoPage: true });
          for await (const row of rowsOf(stream)) out.push(toPlacement(row));
          return out;
        }));
        return parts.flat().sort((a, b) => a.seq - b.seq);
      });
      for (const p of rows) visit(p);
    }
  }

  /**
   * The highest seq in the journal. Seqs are dense (every one is persisted, by its writer or a
   * drain), so buckets fill in order and a doubling then a halving search finds the last one.
   */
  async seqFloor(): Promise<number> {
    const lastIn = async (bucket: number) => Math.max(0, ...(await this.run('journal end', () => Promise.all(SHARDS.map(async (shard) =>
      Number((await this.client.execute(SELECT_LAST, [bucket, shard], { prepare: true })).first()?.get('seq') ?? 0))))));
    if ((await lastIn(0)) === 0) return 0;
    let known = 0;
    let empty = 1;
    while ((await lastIn(empty)) > 0) {
      known = empty;
      empty *= 2;
    }
    while (empty - known > 1) {
      const mid = Math.floor((known + empty) / 2);
      if ((await lastIn(mid)) > 0) known = mid;
      else empty = mid;
    }
    return lastIn(known);
  }

  /** Reads the tiles × shards of each hour the window touches, newest hour first, until `limit` are found. */
  async placementsInArea(q: AreaQuery): Promise<AreaPlacements> {
    const partitions: [number, number, number][] = [];
    for (let tx = Math.floor(q.x0 / AREA_TILE); tx <= Math.floor(q.x1 / AREA_TILE); tx++) {
      for (let ty = Math.floor(q.y0 / AREA_TILE); ty <= Math.floor(q.y1 / AREA_TILE); ty++) {
        for (let shard = 0; shard < AREA_SHARDS; shard++) partitions.push([tx, ty, shard]);
      }
    }
    const found: Placement[] = [];
    const lastHour = Math.floor(q.from / AREA_HOUR_MS);
    for (let hour = Math.floor(q.to / AREA_HOUR_MS); hour >= lastHour; hour--) {
      for (let i = 0; i < partitions.length; i += AREA_CONCURRENCY) {
        const parts = await this.run('area', () => Promise.all(partitions.slice(i, i + AREA_CONCURRENCY).map(async ([tx, ty, shard]) => {
          const out: Placement[] = [];
          const stream = this.client.stream(SELECT_AREA, [tx, ty, hour, shard], { prepare: true, fetchSize: 5000, autoPage: true });
          for await (const row of rowsOf(stream)) {
            const p = toPlacement(row);
            if (p.x >= q.x0 && p.x <= q.x1 && p.y >= q.y0 && p.y <= q.y1 && p.placedAt >= q.from && p.placedAt <= q.to && (!q.userId || p.userId === q.userId)) out.push(p);
          }
          return out;
        })));
        for (const part of parts) found.push(...part);
      }
      if (found.length > q.limit) break;
    }
    found.sort((a, b) => b.seq - a.seq);
    return { placements: found.slice(0, q.limit), truncated: found.length > q.limit };
  }

  async boardSize(): Promise<BoardSize | null> {
    const row = (await this.run('board size', () => this.client.execute(SELECT_SETTING, ['size'], { prepare: true }))).first();
    return row ? { width: row.get('width') as number, height: row.get('height') as number } : null;
  }

  async recordBoardSize(size: BoardSize): Promise<void> {
    await this.run('record board size', () => this.client.execute(UPSERT_SETTING, ['size', size.width, size.height], { prepare: true }));
  }

  async ping(): Promise<void> {
    await this.run('ping', () => this.client.execute('SELECT release_version FROM system.local'));
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }
}
