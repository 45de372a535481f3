// Per-address caps (sessions, placements, sockets) are keyed on one trusted address, the same over
// HTTP and WebSocket: X-Forwarded-For and CloudFront-Viewer-Address written by a client change
// nothing unless configuration says who wrote them. In process, on embedded stores.
import { afterEach, describe, expect, it } from 'vitest';
import { postSession } from '../test-support/pow-solver.ts';
import { WebSocket } from 'ws';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { attachSocketServer, type LocalSockets } from '../local/local-sockets.ts';
import { waitUntil } from '../test-support/sync-clients.ts';

const VIEWER = 'cloudfront-viewer-address';

describe('the address caps are keyed on', () => {
  let f: ServiceFixture;
  let sockets: LocalSockets;
  const open: WebSocket[] = [];

  const start = async (env: Record<string, string>) => {
    f = await startServiceFixture('embedded', { env: { SOCKET_TICK_MS: '5', ...env } });
    sockets = await attachSocketServer(f.services, f.server);
  };
  afterEach(async () => {
    for (const ws of open.splice(0)) ws.terminate();
    await sockets.close();
    await f.close();
  });

  /** Opens a socket; resolves with the HTTP status of a refused upgrade, or 101. */
  const upgrade = (headers: Record<string, string> = {}, token?: string) => new Promise<{ status: number; ws: WebSocket }>((resolve, reject) => {
    const ws = new WebSocket(`${f.url.replace('http', 'ws')}/ws${token ? `?token=${token}` : ''}`, { headers });
    ws.once('open', () => { open.push(ws); resolve({ status: 101, ws }); });
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, ws }));
    ws.once('error', reject);
  });
  const session = (headers: Record<string, string> = {}) => postSession(f.url, headers);
  const token = async (headers: Record<string, string> = {}) => ((await (await session(headers)).json()) as { token: string }).token;
  const placeHttp = (t: string, x: number, headers: Record<string, string> = {}) => fetch(`${f.url}/api/pixels`, {
    method: 'POST', body: JSON.stringify({ x, y: 0, color: 3 }), headers: { 'content-type': 'application/json', authorization: `Bearer ${t}`, ...headers },
  });
  /** Places one pixel over an open socket; resolves with the reply message. */
  const placeSocket = async (ws: WebSocket, x: number) => {
    const replies: Record<string, unknown>[] = [];
    ws.on('message', (data, binary) => { if (!binary) replies.push(JSON.parse(data.toString()) as Record<string, unknown>); });
    ws.send(JSON.stringify({ type: 'place', id: x, x, y: 0, color: 3 }));
    await waitUntil('the reply', () => replies.some((m) => m.id === x));
    return replies.find((m) => m.id === x)!;
  };

  describe('the connecting peer, by default (no proxy trusted)', () => {
    it('a forged X-Forwarded-For or CloudFront-Viewer-Address does not open a new socket or session allowance', async () => {
      await start({ SOCKET_CONNECTIONS_PER_IP: '3', SESSIONS_PER_IP_PER_HOUR: '2' });
      for (let i = 0; i < 3; i++) expect((await upgrade()).status).toBe(101);
      expect((await upgrade({ 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
      expect((await upgrade({ [VIEWER]: '203.0.113.9:4242' })).status).toBe(429);
      expect(sockets.server.connections).toBe(3);

      for (let i = 0; i < 2; i++) expect((await session()).status).toBe(201);
      expect((await session({ 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
      expect((await session({ [VIEWER]: '203.0.113.9:4242' })).status).toBe(429);
    });

    it('a forged X-Forwarded-For or CloudFront-Viewer-Address does not lift the placement cap, over HTTP or a socket', async () => {
      await start({ PLACEMENTS_PER_IP: '2' });
      const tokens = await Promise.all([0, 1, 2, 3].map(() => token()));
      expect((await placeHttp(tokens[0]!, 0, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(201);
      const { ws } = await upgrade({ [VIEWER]: '203.0.113.2:1' }, tokens[1]);
      expect(await placeSocket(ws, 1)).toMatchObject({ type: 'placed' });
      const refused = await placeHttp(tokens[2]!, 2, { 'x-forwarded-for': '203.0.113.3', [VIEWER]: '203.0.113.3:1' });
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: 'rate_limited', reason: 'ip' });
      const other = await upgrade({ 'x-forwarded-for': '203.0.113.4' }, tokens[3]);
      expect(await placeSocket(other.ws, 3)).toMatchObject({ type: 'error', error: 'rate_limited' });
    });

    it('says Secure in the session cookie only when the proxy in front said https, never because the client claims CloudFront did', async () => {
      await start({});
      expect((await session({ 'cloudfront-forwarded-proto': 'https' })).headers.get('set-cookie')).not.toMatch(/Secure/);
    });
  });

  describe('CloudFront-Viewer-Address, behind CloudFront (CLIENT_ADDRESS_SOURCE=cloudfront)', () => {
    it('one viewer gets its own socket and session allowance whatever X-Forwarded-For it writes; another viewer has its own', async () => {
      await start({ CLIENT_ADDRESS_SOURCE: 'cloudfront', SOCKET_CONNECTIONS_PER_IP: '3', SESSIONS_PER_IP_PER_HOUR: '2' });
      for (let port = 1; port <= 3; port++) expect((await upgrade({ [VIEWER]: `198.51.100.7:${port}` })).status).toBe(101);
      expect((await upgrade({ [VIEWER]: '198.51.100.7:4', 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
      expect((await upgrade({ [VIEWER]: '2001:db8::7:5' })).status).toBe(101);

      for (let i = 0; i < 2; i++) expect((await session({ [VIEWER]: `198.51.100.7:${i}` })).status).toBe(201);
      expect((await session({ [VIEWER]: '198.51.100.7:9', 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
      expect((await session({ [VIEWER]: '2001:db8::7:5' })).status).toBe(201);
    });

    it('HTTP and socket placements of one viewer share one cap; a forged X-Forwarded-For does not lift it', async () => {
      await start({ CLIENT_ADDRESS_SOURCE: 'cloudfront', PLACEMENTS_PER_IP: '2' });
      const v = { [VIEWER]: '198.51.100.7:1111' };
      const tokens = await Promise.all([0, 1, 2, 3, 4].map(() => token()));
      expect((await placeHttp(tokens[0]!, 0, v)).status).toBe(201);
      const { ws } = await upgrade({ [VIEWER]: '198.51.100.7:2222' }, tokens[1]);
      expect(await placeSocket(ws, 1)).toMatchObject({ type: 'placed' });
      const refused = await placeHttp(tokens[2]!, 2, { [VIEWER]: '198.51.100.7:3333', 'x-forwarded-for': '203.0.113.3' });
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: 'rate_limited', reason: 'ip' });
      const again = await upgrade({ [VIEWER]: '198.51.100.7:4444', 'x-forwarded-for': '203.0.113.4' }, tokens[3]);
      expect(await placeSocket(again.ws, 3)).toMatchObject({ type: 'error', error: 'rate_limited' });
      expect((await placeHttp(tokens[4]!, 4, { [VIEWER]: '198.51.100.8:1' })).status).toBe(201);
    });

    it('an IPv6 viewer\'s heavy reads count against its /64: another address in it is refused, another /64 is not', async () => {
      await start({ CLIENT_ADDRESS_SOURCE: 'cloudfront', HEAVY_READS_PER_IP_PER_MINUTE: '2' });
      const until = Date.now() - 120_000;
      const heatmap = (viewer: string, i: number) => fetch(`${f.url}/api/heatmap.png?since=${1_000 + i}&until=${until}`, { headers: { [VIEWER]: viewer } });
      expect((await heatmap('2001:db8:0:1::a:1', 0)).status).toBe(200);
      expect((await heatmap('2001:db8:0:1::b:2', 1)).status).toBe(200);
      const refused = await heatmap('2001:db8:0:1:ffff::c:3', 2);
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: 'rate_limited' });
      expect((await heatmap('2001:db8:0:2::a:1', 3)).status).toBe(200);
    });

    it('says Secure in the session cookie when the viewer used HTTPS, as CloudFront-Forwarded-Proto tells', async () => {
      await start({ CLIENT_ADDRESS_SOURCE: 'cloudfront' });
      expect((await session({ [VIEWER]: '198.51.100.7:1', 'cloudfront-forwarded-proto': 'https' })).headers.get('set-cookie')).toMatch(/; Secure/);
      expect((await session({ [VIEWER]: '198.51.100.7:2', 'cloudfront-forwarded-proto': 'http' })).headers.get('set-cookie')).not.toMatch(/Secure/);
    });
  });
});
