// `npm run start:cluster`: the real topology on one machine. Redis (a primary and a replica, as
// ElastiCache runs by default) and Cassandra on their own ports with data under DATA_DIR/cluster,
// the HTTP runner (Lambda handlers) on PORT, and SOCKET_SERVERS socket-server processes on the
// ports after it, subscribed to the update feed on the replica. Ctrl-C stops everything.
import path from 'node:path';
import { processConfig } from '../core/process-config.ts';
import { migrate } from '../core/pixel-log/migrate.ts';
import { localCassandraConfig, startCassandra } from '../local/processes/cassandra-process.ts';
import { startRedis } from '../local/processes/redis-process.ts';
import { ENTRY, startServiceProcess, type ServiceProcess } from '../local/processes/node-process.ts';

const config = await processConfig();
const count = Number(process.env.SOCKET_SERVERS ?? 2);
if (!Number.isInteger(count) || count < 1 || count > 16) {
  console.error(`Bad setting SOCKET_SERVERS: expected 1 to 16, got "${process.env.SOCKET_SERVERS}"`);
  process.exit(2);
}
const dir = path.resolve(config.dataDir, 'cluster');
const redisPort = Number(process.env.CLUSTER_REDIS_PORT ?? 6390);
const cqlPort = Number(process.env.CLUSTER_CQL_PORT ?? 9052);

console.log('starting redis-server and Cassandra …');
const redis = await startRedis({ port: redisPort, dataDir: path.join(dir, 'redis'), appendOnly: true });
const replica = await startRedis({ port: redisPort + 1, dataDir: path.join(dir, 'redis-replica'), replicaOf: redisPort });
const cassandra = await startCassandra({ dataDir: path.join(dir, 'cassandra'), cqlPort, storagePort: cqlPort + 1000 });
await migrate(localCassandraConfig(cqlPort, 'place'), (line) => console.log(line));

const env = {
  REDIS_URL: redis.url, CASSANDRA_CONTACT_POINTS: '127.0.0.1', CASSANDRA_PORT: String(cqlPort), CASSANDRA_KEYSPACE: 'place',
  DATA_DIR: dir,
};
const processes: ServiceProcess[] = [];
const invokePort = config.lambdaInvokePort ?? config.port + 1000;
// A request that finds the board missing starts `npm run rebuild` as a job, as the ECS task does in AWS.
processes.push(await startServiceProcess({ ...env, PORT: String(config.port), LAMBDA_INVOKE_PORT: String(invokePort), REBUILD_JOB: 'process' }, ENTRY.runner));
const http = `http://${config.host}:${config.port}`;
for (let i = 1; i <= count; i++) {
  processes.push(await startServiceProcess({
    ...env, REDIS_FEED_URL: replica.url, PORT: String(config.port + i), LAMBDA_ENDPOINT: `http://127.0.0.1:${invokePort}`,
  }, ENTRY.socketServer));
}
console.log(`\ncluster up: page and API on ${http}; socket servers on ${processes.slice(1).map((p) => `ws://${config.host}:${p.port}/ws`).join(', ')}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('stopping the cluster …');
  await Promise.all(processes.map((p) => p.stop()));
  await cassandra.stop();
  await replica.stop();
  await redis.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
