// CAPTCHA=turnstile: starting a session also needs a Turnstile token, verified server-side with
// siteverify (here a local stand-in speaking Cloudflare's documented request and answer).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { solveChallenge, type Challenge } from '../test-support/pow-solver.ts';

describe('Turnstile', () => {
  let f: ServiceFixture;
  let siteverify: http.Server;
  const seen: URLSearchParams[] = [];
  beforeAll(async () => {
    const used = new Set<string>();
    siteverify = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        seen.push(form);
        const token = form.get('response') ?? '';
        const codes = form.get('secret') !== 'ts-secret' ? ['invalid-input-secret'] : token !== 'good-token' && !token.startsWith('good-') ? ['invalid-input-response']
          : used.has(token) ? ['timeout-or-duplicate'] : [];
        used.add(token);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ success: codes.length === 0, 'error-codes': codes }));
      });
    });
    await new Promise<void>((r) => siteverify.listen(0, '127.0.0.1', r));
    f = await startServiceFixture('embedded', {
      env: { CAPTCHA: 'turnstile', TURNSTILE_SITE_KEY: '1x00000000000000000000AA', TURNSTILE_SECRET: 'ts-secret', TURNSTILE_VERIFY_URL: `http://127.0.0.1:${(siteverify.address() as AddressInfo).port}/siteverify` },
    });
  });
  afterAll(async () => {
    await f?.close();
    siteverify?.close();
  });

  const start = async (captcha?: string) => {
    const api = new ApiClient(f.url);
    const c = (await api.request('GET', '/api/challenge')).body as unknown as Challenge;
    return api.request('POST', '/api/session', { body: JSON.stringify({ challenge: solveChallenge(c)!.payload, captcha }), headers: { 'content-type': 'application/json' } });
  };

  it('the page learns the site key; a session needs a token siteverify accepts, once', async () => {
    expect((await new ApiClient(f.url).request('GET', '/api/config')).body).toMatchObject({ captcha: { provider: 'turnstile', siteKey: '1x00000000000000000000AA' } });
    expect((await start()).body).toMatchObject({ error: 'captcha_required' });
    expect((await start('bad-token')).body).toMatchObject({ error: 'captcha_failed', codes: ['invalid-input-response'] });
    expect((await start('good-1')).status).toBe(201);
    expect(seen.at(-1)?.get('remoteip')).toBe('127.0.0.1');
    expect((await start('good-1')).body).toMatchObject({ error: 'captcha_failed', codes: ['timeout-or-duplicate'] });
  });
});
