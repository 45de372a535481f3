// One cassandra-driver Client from config: plain Cassandra locally, or Amazon Keyspaces with
// TLS on 9142, SigV4 (or service-specific credentials) and the region as the data centre.
import cassandra from 'cassandra-driver';
import type { CassandraConfig } from '../config.ts';

export async function createCassandraClient(config: CassandraConfig, withKeyspace: boolean): Promise<cassandra.Client> {
  const options: cassandra.DseClientOptions = {
    contactPoints: config.contactPoints,
    localDataCenter: config.localDataCenter,
    protocolOptions: { port: config.port },
    keyspace: withKeyspace ? config.keyspace : undefined,
    queryOptions: { consistency: cassandra.types.consistencies.localQuorum, prepare: true },
    socketOptions: { connectTimeout: 3000, readTimeout: 4000 },
    pooling: { coreConnectionsPerHost: { [cassandra.types.distance.local]: 2 } },
    // The driver's default waits up to 10 minutes between attempts (1 s doubling): after an
    // outage writes would stay refused long after Cassandra is back. Try at once, then every ≤ 2 s.
    policies: { reconnection: new cassandra.policies.reconnection.ExponentialReconnectionPolicy(200, 2000, true) },
  };
  if (config.flavour === 'keyspaces') {
    options.sslOptions = { host: config.contactPoints[0], servername: config.contactPoints[0], rejectUnauthorized: true } as never;
    if (config.username && config.password) {
      options.authProvider = new cassandra.auth.PlainTextAuthProvider(config.username, config.password);
    } else {
      // Loaded only for Keyspaces: it brings the AWS SDK's credential chain along.
      const { default: sigv4 } = await import('aws-sigv4-auth-cassandra-plugin');
      options.authProvider = new sigv4.SigV4AuthProvider({ region: config.region }) as unknown as cassandra.auth.AuthProvider;
    }
  } else if (config.username && config.password) {
    options.authProvider = new cassandra.auth.PlainTextAuthProvider(config.username, config.password);
  }
  return new cassandra.Client(options);
}
