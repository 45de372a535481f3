// Bundles the pages (web/) with esbuild: the board (index.html, app.<hash>.js, app.<hash>.css) and
// the moderation page (admin.html, admin.<hash>.js, admin.<hash>.css; served at /admin). In memory
// for the local runner (`buildWeb()`), or to dist/web for S3 (`npm run build`).
import { build } from 'esbuild';
import { readFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
  cacheControl: string;
}

/** app.<hash>.js and app.<hash>.css: a new name for new content, so browsers and CDNs may keep them for good. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and admin.html: revalidated on every visit (a 304 when unchanged), so a deploy shows at once. */
export const REVALIDATE = 'no-cache';

/** Where the moderation page is served (CloudFront maps it to admin.html in S3). */
export const ADMIN_PATH = '/admin';

/** Each page: its HTML and the bundles (named by `out`) it refers to as /<out>.js and /<out>.css. */
const PAGES = [
  { html: 'index.html', src: 'index.html', out: 'app', script: 'main.ts', style: 'app.css' },
  { html: 'admin.html', src: 'admin/admin.html', out: 'admin', script: 'admin/admin.ts', style: 'admin/admin.css' },
] as const;

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** The pages, bundled and minified: each HTML file naming its content-hashed script and stylesheet. */
export async function buildWeb(): Promise<Map<string, WebAsset>> {
  const result = await build({
    entryPoints: PAGES.flatMap((p) => [{ in: path.join(WEB_SRC, p.script), out: p.out }, { in: path.join(WEB_SRC, p.style), out: p.out }]),
    entryNames: '[name].[hash]',
    outdir: 'web-out',
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    write: false,
    logLevel: 'silent',
  });
  const assets = new Map<string, WebAsset>();
  const html = new Map<string, string>(PAGES.map((p) => [p.out, readFileSync(path.join(WEB_SRC, p.src), 'utf8')]));
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    const ext = path.extname(name);
    const out = name.slice(0, name.indexOf('.'));
    const plain = `/${out}${ext}`;
    const page = html.get(out)!;
    if (!page.includes(`"${plain}"`)) throw new Error(`the ${out} page does not refer to ${plain}`);
    html.set(out, page.replaceAll(`"${plain}"`, `"/${name}"`));
    assets.set(`/${name}`, { contentType: TYPES[ext]!, body: Buffer.from(file.contents), cacheControl: IMMUTABLE });
  }
  for (const p of PAGES) assets.set(`/${p.html}`, { contentType: 'text/html; charset=utf-8', body: Buffer.from(html.get(p.out)!), cacheControl: REVALIDATE });
  return assets;
}

/** Writes the page to `outDir`, replacing what an earlier build left there. */
export async function writeWeb(outDir: string): Promise<void> {
  const assets = await buildWeb();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [name, asset] of assets) writeFileSync(path.join(outDir, name.slice(1)), asset.body);
}

/** Where `npm run build` writes the page (what the CDK app deploys to S3). */
export const WEB_DIST = path.resolve(WEB_SRC, '..', 'dist', 'web');
