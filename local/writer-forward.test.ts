// The runner's stand-in for the ALB in front of start:cluster's writers, against plain HTTP
// servers in the writers' place (the fault suite runs it with the real writer processes).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../core/http/request-target.ts';
import { WriterForwarder, writerAddressRule } from './writer-forward.ts';
import type { WriterPoolOptions } from '../core/http/writer-pool.ts';
import { freePort } from '../test-support/test-services.ts';

interface Seen { path: string; headers: http.IncomingHttpHeaders; body: string }

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
});

async function listen(handler: http.RequestListener, host = '127.0.0.1'): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as AddressInfo;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/** A writer that answers 201 with its name and records what it got. */
async function writer(name: string, seen: Seen[], host?: string): Promise<string> {
  return listen((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push({ path: req.url!, headers: req.headers, body });
      res.writeHead(201, { 'content-type': 'application/json', 'x-writer': name });
      res.end(JSON.stringify({ writer: name }));
    });
  }, host);
}

/** A runner that forwards everything the writers serve to `urls`. */
async function runner(urls: string[], options?: WriterPoolOptions): Promise<string> {
  const forwarder = new WriterForwarder(urls, options);
  return listen((req, res) => {
    const target = parseRequestTarget(req.url)!;
    if (!forwarder.handles(req, target)) {
      res.writeHead(404);
      res.end();
      return;
    }
    void forwarder.forward(req, res);
  });
}

const place = (url: string, headers: Record<string, string> = {}) => fetch(`${url}/api/pixels`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ x: 1, y: 2, color: 3 }),
});

describe('the runner in front of the writers (start:cluster)', () => {
  it('sends each placement to the writers in turn, with its body, its headers and the connecting address in X-Forwarded-For', async () => {
    const seen: Seen[] = [];
    const url = await runner([await writer('a', seen), await writer('b', seen)]);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const res = await place(url, { authorization: 'Bearer t', 'idempotency-key': `k${i}`, 'x-forwarded-for': '203.0.113.9' });
      answers.push([res.status, res.headers.get('x-writer'), await res.json()]);
    }
    expect(answers).toEqual([[201, 'a', { writer: 'a' }], [201, 'b', { writer: 'b' }], [201, 'a', { writer: 'a' }], [201, 'b', { writer: 'b' }]]);
    expect(seen.map((s) => [s.path, s.body, s.headers.authorization, s.headers['idempotency-key'], s.headers['x-forwarded-for']])).toEqual(
      [0, 1, 2, 3].map((i) => ['/api/pixels', '{"x":1,"y":2,"color":3}', 'Bearer t', `k${i}`, '203.0.113.9, 127.0.0.1']));
  });

  it('serves only what the writers serve: POST /api/pixels', async () => {
    const url = await runner([await writer('a', [])]);
    expect((await fetch(`${url}/api/pixels`)).status).toBe(404);
    expect((await fetch(`${url}/api/board`, { method: 'POST' })).status).toBe(404);
    expect((await place(url)).status).toBe(201);
  });

  it('skips a writer that refuses the connection (killed, not yet back) for the next, for every one of many concurrent requests', async () => {
    const seen: Seen[] = [];
    const url = await runner([`http://127.0.0.1:${await freePort()}`, await writer('b', seen), `http://127.0.0.1:${await freePort()}`]);
    const statuses = await Promise.all(Array.from({ length: 30 }, () => place(url).then((r) => r.status)));
    expect(statuses).toEqual(Array(30).fill(201));
    expect(seen).toHaveLength(30);
  });

  it('answers 502 when a writer dies mid-request, and does not send the write to another (it may have been placed)', async () => {
    const seen: Seen[] = [];
    const dying = await listen((req) => req.socket.destroy());
    const url = await runner([dying, await writer('b', seen)]);
    const res = await place(url);
    expect(res.status).toBe(502);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: 'bad_gateway' });
    expect(seen).toHaveLength(0);
  });

  it('answers 504 when the writer that took the request does not answer in time', async () => {
    const stalled = await listen(() => {});
    const res = await place(await runner([stalled], { timeoutMs: 200 }));
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ error: 'gateway_timeout' });
  });

  it('answers a body over the ALB\'s 1 MB limit with a 413 the client receives, and sends it to no writer', async () => {
    const seen: Seen[] = [];
    const url = await runner([await writer('a', seen)]);
    const res = await fetch(`${url}/api/pixels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
    expect(seen).toHaveLength(0);
  });

  it('reaches a writer at an IPv6 address, and skips one whose name does not resolve', async () => {
    const seen: Seen[] = [];
    const url = await runner(['http://no-such-writer.invalid:8082', await writer('v6', seen, '::1')]);
    for (let i = 0; i < 2; i++) expect((await place(url)).status).toBe(201);
    expect(seen).toHaveLength(2);
  });

  it('drops hop-by-hop headers, including those the Connection header names, and passes Host', async () => {
    const seen: Seen[] = [];
    const target = new URL(`${await runner([await writer('a', seen)])}/api/pixels`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(target, { method: 'POST', headers: { host: 'place.example.org', connection: 'keep-alive, x-hop', 'x-hop': '1', 'x-kept': '2' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.once('error', reject);
      req.end('{}');
    });
    expect(status).toBe(201);
    expect([seen[0]!.headers['x-hop'], seen[0]!.headers['x-kept'], seen[0]!.headers.host]).toEqual([undefined, '2', 'place.example.org']);
  });

  it('answers 503 with Retry-After when no writer answers', async () => {
    const url = await runner([`http://127.0.0.1:${await freePort()}`, `http://127.0.0.1:${await freePort()}`]);
    const res = await place(url);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: 'unavailable' });
  });

  it('has a writer behind the runner trust the one hop the runner adds', () => {
    expect(writerAddressRule({ source: 'x-forwarded-for', trustedProxyHops: 0 })).toEqual({ CLIENT_ADDRESS_SOURCE: 'x-forwarded-for', TRUSTED_PROXY_HOPS: '1' });
    expect(writerAddressRule({ source: 'x-forwarded-for', trustedProxyHops: 2 })).toEqual({ CLIENT_ADDRESS_SOURCE: 'x-forwarded-for', TRUSTED_PROXY_HOPS: '3' });
    expect(writerAddressRule({ source: 'socket', trustedProxyHops: 0 })).toEqual({ CLIENT_ADDRESS_SOURCE: 'x-forwarded-for', TRUSTED_PROXY_HOPS: '1' });
    expect(writerAddressRule({ source: 'cloudfront', trustedProxyHops: 0 })).toEqual({ CLIENT_ADDRESS_SOURCE: 'cloudfront', TRUSTED_PROXY_HOPS: '0' });
  });
});
