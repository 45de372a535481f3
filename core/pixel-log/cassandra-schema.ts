// The CQL schema. It stays within what both Apache Cassandra 2.1 and Amazon Keyspaces accept
// (and CloudFormation: column names of 2 to 48 characters, hence px/py).
// Partitions stay small: one partition per pixel (current state and its history) and one per
// user, so no single partition takes the board's whole write rate (Keyspaces caps a
// partition at 1,000 writes/s). In AWS the same tables are created by the CDK app
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

export const TABLES: readonly TableDef[] = [
  {
    name: 'pixels',
    partitionKey: ['px', 'py'],
    clustering: [],
    columns: [
      { name: 'px', type: 'int' }, { name: 'py', type: 'int' }, { name: 'color', type: 'int' },
      { name: 'seq', type: 'bigint' }, { name: 'version', type: 'bigint' },
      { name: 'user_id', type: 'text' }, { name: 'placed_at', type: 'timestamp' },
    ],
  },
  {
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
    name: 'user_placements',
    partitionKey: ['user_id'],
    clustering: [],
    columns: [
      { name: 'user_id', type: 'text' }, { name: 'last_placed_at', type: 'timestamp' }, { name: 'last_seq', type: 'bigint' },
    ],
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
