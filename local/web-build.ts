// Bundles the pages (web/) with esbuild: the board (index.html, app.js, app.css) and the moderation
// page (admin.html, admin.js, admin.css; served at /admin). In memory for the local runner
// (`buildWeb()`), or to dist/web for S3 (`npm run build`).
import { build } from 'esbuild';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page's sources (browser code only). */
const WEB_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');

/**
 * The page's security headers (set by the local runner, and by CloudFront's response headers
 * policy in AWS, from this same object): scripts, styles and connections only from this
 * origin, no framing, no sniffing, no referrer to other sites.
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
    "connect-src 'self' ws: wss:", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
});

export interface WebAsset {
  contentType: string;
  body: Buffer;
}

async function bundle(entry: string): Promise<Buffer> {
  const result = await build({
    entryPoints: [path.join(WEB_SRC, entry)],
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    write: false,
    outfile: 'bundle.js',
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0]!.contents);
}

/** Where the moderation page is served (CloudFront maps it to admin.html in S3). */
export const ADMIN_PATH = '/admin';

export async function buildWeb(): Promise<Map<string, WebAsset>> {
  const [app, admin] = await Promise.all([bundle('main.ts'), bundle('admin/admin.ts')]);
  const assets = new Map<string, WebAsset>();
  assets.set('/app.js', { contentType: 'text/javascript; charset=utf-8', body: app });
  assets.set('/admin.js', { contentType: 'text/javascript; charset=utf-8', body: admin });
  assets.set('/admin.css', { contentType: 'text/css; charset=utf-8', body: readFileSync(path.join(WEB_SRC, 'admin', 'admin.css')) });
  assets.set('/admin.html', { contentType: 'text/html; charset=utf-8', body: readFileSync(path.join(WEB_SRC, 'admin', 'admin.html')) });
  assets.set('/app.css', { contentType: 'text/css; charset=utf-8', body: readFileSync(path.join(WEB_SRC, 'app.css')) });
  assets.set('/index.html', { contentType: 'text/html; charset=utf-8', body: readFileSync(path.join(WEB_SRC, 'index.html')) });
  return assets;
}

export async function writeWeb(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  for (const [name, asset] of await buildWeb()) writeFileSync(path.join(outDir, name.slice(1)), asset.body);
}

/** Where `npm run build` writes the page (what the CDK app deploys to S3). */
export const WEB_DIST = path.resolve(WEB_SRC, '..', 'dist', 'web');
