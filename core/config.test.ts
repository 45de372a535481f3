import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('defaults to a 1000×1000 board on embedded stores at 127.0.0.1:8080', () => {
    const c = loadConfig({});
    expect(c.board).toEqual({ width: 1000, height: 1000 });
    expect([c.host, c.port, c.redis, c.cassandra]).toEqual(['127.0.0.1', 8080, null, null]);
  });

  it('fails at start naming a bad setting', () => {
    expect(() => loadConfig({ BOARD_WIDTH: 'wide' })).toThrow(/BOARD_WIDTH/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ CASSANDRA_CONTACT_POINTS: 'a', CASSANDRA_FLAVOUR: 'keyspaces' })).toThrow(/CASSANDRA_REGION/);
  });

  it('selects Keyspaces connection settings: TLS port 9142 and the region as data centre', () => {
    const c = loadConfig({ CASSANDRA_CONTACT_POINTS: 'cassandra.eu-west-1.amazonaws.com', CASSANDRA_FLAVOUR: 'keyspaces', AWS_REGION: 'eu-west-1' });
    expect(c.cassandra).toMatchObject({ port: 9142, localDataCenter: 'eu-west-1', flavour: 'keyspaces' });
  });
});
