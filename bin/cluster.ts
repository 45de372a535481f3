// `npm run start:cluster`: the real topology on one machine. Redis (a primary and a replica, as
// ElastiCache runs by default) and Cassandra on their own ports with data under DATA_DIR/cluster,
// the HTTP runner (Lambda handlers) on PORT, SOCKET_SERVERS socket-server processes on the ports
// after it, subscribed to the update feed on the replica, and WRITERS writer processes
// (bin/writer.ts) on the ports after those, which place every pixel: the runner forwards the
// page's POST /api/pixels to them as the ALB sends it to the writer tasks in AWS, and the socket
// servers send their clients' placements to them, as in AWS. Ctrl-C stops everything.
import path from 'node:path';
import { processConfig } from '../core/process-config.ts';
import { migrate } from '../core/pixel-log/migrate.ts';
import { localCassandraConfig, startCassandra } from '../local/processes/cassandra-process.ts';
import { startRedis } from '../local/processes/redis-process.ts';
import { ENTRY, startServiceProcess, type ServiceProcess } from '../local/processes/node-process.ts';
import { localSessionSecret } from '../core/service/services.ts';
import { writerAddressRule } from '../local/writer-forward.ts';

const config = await processConfig();
/** A count of processes from the environment, or the process stops naming the variable. */
function processCount(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (Number.isInteger(n) && n >= 1 && n <= 16) return n;
  console.error(`Bad setting ${name}: expected 1 to 16, got "${process.env[name]}"`);
  process.exit(2);
}
const count = processCount('SOCKET_SERVERS', 2);
// As many as the CDK app runs at least (writerMinTasks).
const writerCount = processCount('WRITERS', 2);
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
  // One key for every process: the writers check the tokens the runner's create-session signs.
  SESSION_SECRET: localSessionSecret({ ...config, dataDir: dir }),
  // A request that finds the board missing starts `npm run rebuild` as a job, as the ECS task does in AWS.
  REBUILD_JOB: 'process',
};
const processes: ServiceProcess[] = [];
const writers: ServiceProcess[] = [];
for (let i = 1; i <= writerCount; i++) {
  writers.push(await startServiceProcess({ ...env, ...writerAddressRule(config.clientAddress), PORT: String(config.port + count + i) }, ENTRY.writer));
}
const writerUrls = writers.map((w) => `http://127.0.0.1:${w.port}`);
processes.push(await startServiceProcess({ ...env, PORT: String(config.port), WRITER_URLS: writerUrls.join(',') }, ENTRY.runner));
const http = `http://${config.host}:${config.port}`;
for (let i = 1; i <= count; i++) {
  processes.push(await startServiceProcess({
    ...env, REDIS_FEED_URL: replica.url, PORT: String(config.port + i), WRITER_URLS: writerUrls.join(','),
  }, ENTRY.socketServer));
}
processes.push(...writers);
console.log(`\ncluster up: page and API on ${http}; socket servers on ${processes.slice(1, count + 1).map((p) => `ws://${config.host}:${p.port}/ws`).join(', ')}; `
  + `writers (POST /api/pixels) on ${writerUrls.join(', ')}`);

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
