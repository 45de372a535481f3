// The CQL schema. It stays within what both Apache Cassandra 2.1 and Amazon Keyspaces accept
// (and CloudFormation: column names of 2 to 48 characters, hence px/py).
// Partitions stay small: one per pixel (its history), one per user, and the seq journal spread
// over shards, so no single partition takes the board's whole write rate (Keyspaces caps a
// partition at 1,000 writes/s). Every placement writes one row to each placement table (3 WRU). In AWS the same tables are created by the CDK app
// (infra/keyspaces-tables.ts), which reads TABLES below.

export interface ColumnDef {
  name: string;
  type: 'int' | 'bigint' | 'text' | 'timestamp' | 'blob';
}

export interface TableDef {
  name: string;
  partitionKey: string[];
  clustering: { name: string; order: 'ASC' | 'DESC' }[];
  columns: ColumnDef[];
}

/**
 * Moderation (core/moderation/cassandra-moderation-log.ts). Written at moderators' pace, read by
 * partition: never a scan.
 */
export const MODERATION_TABLES: readonly TableDef[] = [
  {
    // Roles, bans, address bans, protected areas, the board's state: one partition per kind (a
    // few hundred rows at most), each row a JSON body.
    name: 'moderation_state',
    partitionKey: ['kind'],
    clustering: [{ name: 'item', order: 'ASC' }],
    columns: [{ name: 'kind', type: 'text' }, { name: 'item', type: 'text' }, { name: 'body', type: 'text' }],
  },
  {
    // The append-only audit log, a partition per month (yyyymm), newest first.
    name: 'audit_log',
    partitionKey: ['month'],
    clustering: [{ name: 'at', order: 'DESC' }, { name: 'id', order: 'ASC' }],
    columns: [{ name: 'month', type: 'int' }, { name: 'at', type: 'timestamp' }, { name: 'id', type: 'text' }, { name: 'body', type: 'text' }],
  },
  {
    // Users' reports: the open queue and the resolved ones, ids sortable by time, newest first.
    name: 'reports',
    partitionKey: ['queue'],
    clustering: [{ name: 'id', order: 'DESC' }],
    columns: [{ name: 'queue', type: 'text' }, { name: 'id', type: 'text' }, { name: 'body', type: 'text' }],
  },
  {
    // A rollback (chunk -1: what, who, why) and its changes, packed, in chunks (undo reads them).
    name: 'rollbacks',
    partitionKey: ['rollback_id'],
    clustering: [{ name: 'chunk', order: 'ASC' }],
    columns: [{ name: 'rollback_id', type: 'text' }, { name: 'chunk', type: 'int' }, { name: 'meta', type: 'text' }, { name: 'changes', type: 'blob' }],
  },
];

/**
 * The journal of placements by seq is partitioned by (bucket, shard): a bucket holds
 * JOURNAL_BUCKET_SEQS consecutive seqs, spread over JOURNAL_SHARDS partitions by seq modulo, so
 * at r/place's 1,640 px/s peak a partition takes ~205 writes/s and holds 8,192 rows.
 */
export const JOURNAL_BUCKET_SEQS = 65_536;
export const JOURNAL_SHARDS = 8;

/**
 * Placements by area and time (the moderators' query, docs/MODERATION.md): partitioned by
 * (TILE×TILE pixel tile, hour, shard), so a query reads only the tiles its rectangle touches in
 * the hours its window touches, never the whole table. A shard (seq modulo) spreads a hot tile's
 * hour over partitions: a rollback writing thousands of pixels into a few tiles stays under
 * Keyspaces' 1,000 writes/s per partition.
 */
export const AREA_TILE = 64;
export const AREA_HOUR_MS = 3_600_000;
export const AREA_SHARDS = 4;

export const TABLES: readonly TableDef[] = [
  {
    // Every placement of a pixel, newest first: its history, and (LIMIT 1) who placed it last.
    name: 'pixel_history',
    partitionKey: ['px', 'py'],
    clustering: [{ name: 'seq', order: 'DESC' }],
    columns: [
      { name: 'px', type: 'int' }, { name: 'py', type: 'int' }, { name: 'seq', type: 'bigint' },
      { name: 'color', type: 'int' }, { name: 'version', type: 'bigint' },
      { name: 'user_id', type: 'text' }, { name: 'placed_at', type: 'timestamp' },
    ],
  },
  {
    // Every placement in seq order: restores replay the ones after a snapshot, exports read them all.
    name: 'placements_by_seq',
    partitionKey: ['bucket', 'shard'],
    clustering: [{ name: 'seq', order: 'ASC' }],
    columns: [
      { name: 'bucket', type: 'int' }, { name: 'shard', type: 'int' }, { name: 'seq', type: 'bigint' },
      { name: 'px', type: 'int' }, { name: 'py', type: 'int' }, { name: 'color', type: 'int' },
      { name: 'version', type: 'bigint' }, { name: 'user_id', type: 'text' }, { name: 'placed_at', type: 'timestamp' },
    ],
  },
  {
    // Placements by area and time: the tiles × hours × shards a moderator's query touches.
    name: 'placements_by_area',
    partitionKey: ['tx', 'ty', 'hour', 'shard'],
    clustering: [{ name: 'seq', order: 'DESC' }],
    columns: [
      { name: 'tx', type: 'int' }, { name: 'ty', type: 'int' }, { name: 'hour', type: 'int' }, { name: 'shard', type: 'int' },
      { name: 'seq', type: 'bigint' }, { name: 'px', type: 'int' }, { name: 'py', type: 'int' }, { name: 'color', type: 'int' },
      { name: 'version', type: 'bigint' }, { name: 'user_id', type: 'text' }, { name: 'placed_at', type: 'timestamp' },
    ],
  },
  {
    // Each user's last placement (GET /api/me once the live cooldown is gone).
    name: 'user_placements',
    partitionKey: ['user_id'],
    clustering: [],
    columns: [
      { name: 'user_id', type: 'text' }, { name: 'last_placed_at', type: 'timestamp' }, { name: 'last_seq', type: 'bigint' },
    ],
  },
  {
    // Templates (core/community/template-records.ts): one small row each; the image and the target
    // colours are in the media store (S3 / DATA_DIR/media).
    name: 'templates',
    partitionKey: ['id'],
    clustering: [],
    columns: [
      { name: 'id', type: 'text' }, { name: 'name', type: 'text' }, { name: 'px', type: 'int' }, { name: 'py', type: 'int' },
      { name: 'width', type: 'int' }, { name: 'height', type: 'int' }, { name: 'pixels', type: 'int' },
      { name: 'created_by', type: 'text' }, { name: 'created_at', type: 'timestamp' },
    ],
  },
  {
    // Settings a restore needs that placements do not carry: today the size the board grew to.
    name: 'board_settings',
    partitionKey: ['name'],
    clustering: [],
    columns: [{ name: 'name', type: 'text' }, { name: 'width', type: 'int' }, { name: 'height', type: 'int' }],
  },
  ...MODERATION_TABLES,
];

export function createKeyspaceCql(keyspace: string, replicationFactor: number): string {
  return `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = `
    + `{'class': 'SimpleStrategy', 'replication_factor': ${replicationFactor}}`;
}

export function createTableCql(keyspace: string, table: TableDef): string {
  const columns = table.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const key = [`(${table.partitionKey.join(', ')})`, ...table.clustering.map((c) => c.name)].join(', ');
  const order = table.clustering.length
    ? ` WITH CLUSTERING ORDER BY (${table.clustering.map((c) => `${c.name} ${c.order}`).join(', ')})`
    : '';
  return `CREATE TABLE IF NOT EXISTS ${keyspace}.${table.name} (${columns}, PRIMARY KEY (${key}))${order}`;
}
