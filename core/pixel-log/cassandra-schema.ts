// The CQL schema. It stays within what both Apache Cassandra 2.1 and Amazon Keyspaces accept
// (and CloudFormation: column names of 2 to 48 characters, hence px/py).
// Partitions stay small: one per pixel (its history), one per user, and the seq journal spread
// over shards, so no single partition takes the board's whole write rate (Keyspaces caps a
// partition at 1,000 writes/s). Every placement writes one row to each placement table (3 WRU). In AWS the same tables are created by the CDK app
// (infra/keyspaces-tables.ts), which reads TABLES below.

export interface ColumnDef {
  name: string;
  type: 'int' | 'bigint' | 'text' | 'timestamp';
}

export interface TableDef {
  name: string;
  partitionKey: string[];
  clustering: { name: string; order: 'ASC' | 'DESC' }[];
  columns: ColumnDef[];
}

/**
 * The journal of placements by seq is partitioned by (bucket, shard): a bucket holds
 * JOURNAL_BUCKET_SEQS consecutive seqs, spread over JOURNAL_SHARDS partitions by seq modulo, so
 * at r/place's 1,640 px/s peak a partition takes ~205 writes/s and holds 8,192 rows.
 */
export const JOURNAL_BUCKET_SEQS = 65_536;
export const JOURNAL_SHARDS = 8;

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
