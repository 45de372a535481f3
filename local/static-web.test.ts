import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { staticWeb } from './static-web.ts';
import { PAGE_SECURITY_HEADERS } from './web-build.ts';

describe('the page as the local runner serves it', () => {
  let f: ServiceFixture;
  beforeAll(async () => { f = await startServiceFixture('embedded', { fallback: await staticWeb() }); });
  afterAll(async () => f?.close());

  it('sends a CSP that allows only this origin, no framing, nosniff and a referrer policy, on every file', async () => {
    for (const path of ['/', '/app.js', '/app.css', '/admin', '/admin.js', '/admin.css']) {
      const res = await fetch(`${f.url}${path}`);
      expect(res.status).toBe(200);
      for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
    }
    expect(await (await fetch(`${f.url}/admin`)).text()).toContain('<script type="module" src="/admin.js">');
    expect(PAGE_SECURITY_HEADERS['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(PAGE_SECURITY_HEADERS['content-security-policy']).toContain("script-src 'self'");
  });
});
