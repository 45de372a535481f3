// Starts the one Cassandra the integration tests share, and stops it after the run.
import { startCassandra, type CassandraProcess } from './local/processes/cassandra-process.ts';
import { freePort, removeAbandonedTempDirs, removeTempDirs, tempDir } from './test-support/test-services.ts';

let cassandra: CassandraProcess | undefined;

export async function setup(): Promise<void> {
  const abandoned = removeAbandonedTempDirs();
  if (abandoned.length) console.log(`removed ${abandoned.length} temp folders of killed test runs`);
  const cqlPort = await freePort();
  const storagePort = await freePort();
  cassandra = await startCassandra({ dataDir: tempDir('cassandra'), cqlPort, storagePort, heapMb: 1024 });
  process.env.TEST_CASSANDRA_PORT = String(cqlPort);
}

export async function teardown(): Promise<void> {
  await cassandra?.stop();
  removeTempDirs();
}
