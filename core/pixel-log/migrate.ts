// Creates the keyspace and tables if missing. Safe to run again.
import type { CassandraConfig } from '../config.ts';
import { createCassandraClient } from './cassandra-client.ts';
import { createKeyspaceCql, createTableCql, TABLES } from './cassandra-schema.ts';

export async function migrate(config: CassandraConfig, log: (line: string) => void = () => {}): Promise<void> {
  const client = await createCassandraClient(config, false);
  try {
    await client.connect();
    await client.execute(createKeyspaceCql(config.keyspace, config.replicationFactor));
    log(`keyspace ${config.keyspace} ready`);
    for (const table of TABLES) {
      await client.execute(createTableCql(config.keyspace, table));
      log(`table ${config.keyspace}.${table.name} ready`);
    }
  } finally {
    await client.shutdown();
  }
}
