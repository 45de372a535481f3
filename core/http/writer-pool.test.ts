// The writer pool against plain HTTP servers in the writers' place, on loopback addresses; names
// resolve through a given lookup, as Cloud Map's name resolves to one address per writer task.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WriterLostError, WriterUnavailableError } from '../errors.ts';
import { WriterPool } from './writer-pool.ts';

const servers: http.Server[] = [];
const pools: WriterPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) p.close();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
});

/** A writer on `host` (port 0: any) answering 201 with its address; returns its port. */
async function writer(host: string, port = 0, handler?: http.RequestListener): Promise<number> {
  const server = http.createServer(handler ?? ((req, res) => {
    req.resume();
    req.on('end', () => res.end(host));
  }));
  servers.push(server);
  await new Promise<void>((r) => server.listen(port, host, r));
  return (server.address() as AddressInfo).port;
}

const pool = (urls: string[], options?: ConstructorParameters<typeof WriterPool>[1]) => {
  const p = new WriterPool(urls, options);
  pools.push(p);
  return p;
};

async function post(p: WriterPool, headers: http.OutgoingHttpHeaders = { 'idempotency-key': 'k' }): Promise<string> {
  const answer = await p.request('POST', '/api/pixels', headers, Buffer.from('{}'));
  let text = '';
  for await (const chunk of answer) text += String(chunk);
  return text;
}

describe('the writer pool', () => {
  it('spreads requests over every address of a name, and picks up an address that appears', async () => {
    const port = await writer('127.0.0.1');
    await writer('127.0.0.2', port);
    let addresses = ['127.0.0.1'];
    const p = pool([`http://writers.test:${port}`], { lookup: async () => addresses, resolveMs: 50 });
    expect(await post(p)).toBe('127.0.0.1');
    addresses = ['127.0.0.1', '127.0.0.2'];
    await new Promise((r) => setTimeout(r, 60));
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await post(p));
    expect(answers.filter((a) => a === '127.0.0.1')).toHaveLength(3);
    expect(answers.filter((a) => a === '127.0.0.2')).toHaveLength(3);
  });

  it('skips an address that takes no connection (a stopped task\'s stale record) after a short connect timeout', async () => {
    const port = await writer('127.0.0.1');
    // 10.255.255.1 is routed nowhere here: its connection never completes (or fails at once).
    const p = pool([`http://writers.test:${port}`], { lookup: async () => ['10.255.255.1', '127.0.0.1'] });
    const started = Date.now();
    for (let i = 0; i < 2; i++) expect(await post(p)).toBe('127.0.0.1');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says no writer took it when none can be reached, or the name has no address', async () => {
    await expect(post(pool(['http://127.0.0.1:1']))).rejects.toBeInstanceOf(WriterUnavailableError);
    await expect(post(pool(['http://writers.test:8082'], { lookup: async () => { throw Object.assign(new Error('no such name'), { code: 'ENOTFOUND' }); } })))
      .rejects.toBeInstanceOf(WriterUnavailableError);
  });

  it('sends again, on a new connection, a request whose kept-alive connection the writer reset as it arrived, when it has an Idempotency-Key', async () => {
    const served = new WeakSet<object>();
    let connections = 0;
    const resetOnReuse: http.RequestListener = (req, res) => {
      // A writer closing a kept-alive connection just as the next request comes (it was stopping).
      if (served.has(req.socket)) return req.socket.resetAndDestroy();
      served.add(req.socket);
      req.resume();
      req.on('end', () => res.end('ok'));
    };
    const port = await writer('127.0.0.1', 0, resetOnReuse);
    servers[0]!.on('connection', () => connections++);
    const p = pool([`http://127.0.0.1:${port}`]);
    expect(await post(p)).toBe('ok');
    expect(await post(p)).toBe('ok');
    expect(connections).toBe(2);
    // Without a key a second try could place twice: the caller hears the request was lost.
    await expect(post(p, {})).rejects.toBeInstanceOf(WriterLostError);
  });
});
