import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, ENV_SCHEMA, FOREIGN_VARIABLES, loadConfig } from './config.ts';

describe('config', () => {
  it('defaults to a 1000×1000 board on embedded stores at 127.0.0.1:8080', () => {
    const c = loadConfig({});
    expect(c.board).toEqual({ width: 1000, height: 1000 });
    expect([c.host, c.port, c.redis, c.cassandra]).toEqual(['127.0.0.1', 8080, null, null]);
  });

  it('fails at start naming a bad setting', () => {
    expect(() => loadConfig({ BOARD_WIDTH: 'wide' })).toThrow(/BOARD_WIDTH/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'redis://a:6379', REDIS_FEED_URL: 'b:6379' })).toThrow(/REDIS_FEED_URL/);
    expect(() => loadConfig({ REDIS_FEED_URL: 'redis://b:6379' })).toThrow(/REDIS_FEED_URL: needs REDIS_URL/);
    expect(() => loadConfig({ CASSANDRA_CONTACT_POINTS: 'a', CASSANDRA_FLAVOUR: 'keyspaces' })).toThrow(/CASSANDRA_REGION/);
    expect(() => loadConfig({ WRITER_URLS: 'http://127.0.0.1:8083,127.0.0.1:8084' })).toThrow(/WRITER_URLS.*"127.0.0.1:8084"/);
    expect(loadConfig({ WRITER_URLS: ' http://127.0.0.1:8083, http://127.0.0.1:8084/ ' }).writerUrls).toEqual(['http://127.0.0.1:8083', 'http://127.0.0.1:8084/']);
  });

  it('selects Keyspaces connection settings: TLS port 9142 and the region as data centre', () => {
    const c = loadConfig({ CASSANDRA_CONTACT_POINTS: 'cassandra.eu-west-1.amazonaws.com', CASSANDRA_FLAVOUR: 'keyspaces', AWS_REGION: 'eu-west-1' });
    expect(c.cassandra).toMatchObject({ port: 9142, localDataCenter: 'eu-west-1', flavour: 'keyspaces' });
  });

  it('every setting it reads is in the README\'s settings table', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '..', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Settings'), readme.indexOf('\n## ', readme.indexOf('## Settings') + 5));
    const documented = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    const missing = Object.keys(ENV_SCHEMA.shape).filter((name) => !FOREIGN_VARIABLES.has(name) && !documented.has(name));
    expect(missing).toEqual([]);
  });
});
