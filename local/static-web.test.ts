import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { pickEncoding, staticWeb } from './static-web.ts';
import { IMMUTABLE, PAGE_SECURITY_HEADERS, REVALIDATE } from './web-build.ts';

interface Raw { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

/** A GET with exactly these headers (fetch would add and undo Accept-Encoding itself). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).once('error', reject).end();
  });
}

describe('the page as the local runner serves it', () => {
  let f: ServiceFixture;
  let files: string[];
  let adminFiles: string[];
  beforeAll(async () => {
    f = await startServiceFixture('embedded', { fallback: await staticWeb() });
    const html = (await get(`${f.url}/`)).body.toString();
    files = [...html.matchAll(/"\/(app\.[A-Z0-9]+\.(?:js|css))"/g)].map((m) => `/${m[1]}`);
    const admin = (await get(`${f.url}/admin`)).body.toString();
    adminFiles = [...admin.matchAll(/"\/(admin\.[A-Z0-9]+\.(?:js|css))"/g)].map((m) => `/${m[1]}`);
  });
  afterAll(async () => f?.close());

  it('sends a CSP that allows only this origin, no framing, nosniff and a referrer policy, on every file', async () => {
    for (const path of ['/', ...files, '/admin', ...adminFiles]) {
      const res = await fetch(`${f.url}${path}`);
      expect(res.status).toBe(200);
      for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
    }
    expect(await (await fetch(`${f.url}/admin`)).text()).toContain(`<script type="module" src="${adminFiles.find((p) => p.endsWith('.js'))!}">`);
    expect(PAGE_SECURITY_HEADERS['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(PAGE_SECURITY_HEADERS['content-security-policy']).toContain("script-src 'self'");
  });

  it('names the script and stylesheet by their content, kept for good; index.html is revalidated on every visit', async () => {
    expect(files.map((p) => p.split('.').pop()).sort()).toEqual(['css', 'js']);
    expect(adminFiles.map((p) => p.split('.').pop()).sort()).toEqual(['css', 'js']);
    for (const path of [...files, ...adminFiles]) expect((await get(`${f.url}${path}`)).headers['cache-control']).toBe(IMMUTABLE);
    expect((await get(`${f.url}/`)).headers['cache-control']).toBe(REVALIDATE);
    expect((await get(`${f.url}/admin`)).headers['cache-control']).toBe(REVALIDATE);
    expect((await get(`${f.url}/app.js`)).status).toBe(404);
  });

  it('compresses every file with brotli or gzip as the browser accepts, to the same bytes', async () => {
    for (const path of ['/', ...files]) {
      const plain = await get(`${f.url}${path}`);
      expect(plain.headers['content-encoding']).toBeUndefined();
      const br = await get(`${f.url}${path}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers.vary).toBe('Accept-Encoding');
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      const gz = await get(`${f.url}${path}`, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
      if (path.endsWith('.js')) expect(br.body.length).toBeLessThan(plain.body.length / 2.5);
    }
  });

  it('answers 304 with no body when the browser still has the same encoding of the file', async () => {
    for (const path of ['/', ...files]) {
      const first = await get(`${f.url}${path}`, { 'accept-encoding': 'br' });
      const etag = first.headers.etag!;
      const again = await get(`${f.url}${path}`, { 'accept-encoding': 'br', 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
      // A gzip copy is other bytes: its ETag differs, so the brotli one does not validate it.
      expect((await get(`${f.url}${path}`, { 'accept-encoding': 'gzip', 'if-none-match': etag })).status).toBe(200);
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const head = await get(`${f.url}/`, { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body.length).toBe(0);
  });
});

describe('choosing an encoding', () => {
  it('prefers brotli, honours q-values and refusals, and falls back to none', () => {
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('gzip')).toBe('gzip');
    expect(pickEncoding('br;q=0.5, gzip')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0')).toBe('identity');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding(undefined)).toBe('identity');
    expect(pickEncoding('')).toBe('identity');
  });
});
