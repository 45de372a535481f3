import { describe, expect, it } from 'vitest';
import cassandra from 'cassandra-driver';
import { loadConfig } from '../config.ts';
import { createCassandraClient } from './cassandra-client.ts';

type Options = cassandra.ClientOptions & { sslOptions?: { servername: string } };
/** The options the driver will connect with (the driver keeps them on the client, untyped). */
const optionsOf = (client: cassandra.Client) => (client as unknown as { options: Options }).options;

describe('Cassandra client settings', () => {
  it('connects to Amazon Keyspaces with TLS on 9142, SigV4, the region as data centre and LOCAL_QUORUM', async () => {
    const config = loadConfig({ CASSANDRA_CONTACT_POINTS: 'cassandra.eu-west-1.amazonaws.com', CASSANDRA_FLAVOUR: 'keyspaces', AWS_REGION: 'eu-west-1' }).cassandra!;
    const client = await createCassandraClient(config, true);
    const o = optionsOf(client);
    expect(o.protocolOptions?.port).toBe(9142);
    expect(o.sslOptions?.servername).toBe('cassandra.eu-west-1.amazonaws.com');
    expect(o.localDataCenter).toBe('eu-west-1');
    expect(o.queryOptions?.consistency).toBe(cassandra.types.consistencies.localQuorum);
    expect(o.authProvider?.constructor.name).toBe('SigV4AuthProvider');
  });

  it('uses service-specific credentials instead of SigV4 when a user name and password are set', async () => {
    const config = loadConfig({
      CASSANDRA_CONTACT_POINTS: 'cassandra.eu-west-1.amazonaws.com', CASSANDRA_FLAVOUR: 'keyspaces', AWS_REGION: 'eu-west-1',
      CASSANDRA_USERNAME: 'svc', CASSANDRA_PASSWORD: 'pw',
    }).cassandra!;
    const client = await createCassandraClient(config, true);
    expect(optionsOf(client).authProvider).toBeInstanceOf(cassandra.auth.PlainTextAuthProvider);
  });

  it('connects to plain Cassandra without TLS or auth', async () => {
    const client = await createCassandraClient(loadConfig({ CASSANDRA_CONTACT_POINTS: '127.0.0.1' }).cassandra!, false);
    expect(optionsOf(client).sslOptions).toBeUndefined();
    expect(optionsOf(client).authProvider).not.toBeInstanceOf(cassandra.auth.PlainTextAuthProvider);
    expect(optionsOf(client).authProvider?.constructor.name).not.toBe('SigV4AuthProvider');
    expect(optionsOf(client).protocolOptions?.port).toBe(9042);
  });
});
