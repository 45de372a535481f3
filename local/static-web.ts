// Serves the web page from memory in the local runner (bundled and compressed once, at start),
// with the security headers CloudFront's response headers policy adds in AWS. Each file is
// served brotli- or gzip-compressed when the browser accepts it, with an ETag per encoding
// (a 304 when it still has that copy) and its cache policy: index.html revalidated on every
// visit, the content-hashed app.<hash>.js / .css kept for good. /admin is admin.html (the
// moderation page), as CloudFront maps it in AWS.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import fresh from 'fresh';
import Negotiator from 'negotiator';
import { ADMIN_PATH, buildWeb, PAGE_SECURITY_HEADERS, type WebAsset } from './web-build.ts';
import type { RequestHook } from './local-server.ts';

type Encoding = 'br' | 'gzip' | 'identity';
const ENCODINGS: Encoding[] = ['br', 'gzip', 'identity'];

interface Variant { body: Buffer; etag: string }
type Served = WebAsset & { variants: Record<Encoding, Variant> };

function variant(body: Buffer, suffix: string): Variant {
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}${suffix}"` };
}

function prepare(asset: WebAsset): Served {
  const brotli = brotliCompressSync(asset.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length } });
  return {
    ...asset,
    variants: { identity: variant(asset.body, ''), gzip: variant(gzipSync(asset.body, { level: 9 }), '-gz'), br: variant(brotli, '-br') },
  };
}

/** The encoding to send: negotiator (jshttp's, as Express uses) reads q-values and `*`; brotli wins ties. */
export function pickEncoding(acceptEncoding: string | undefined): Encoding {
  const negotiator = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }) as Negotiator & {
    encoding(available: string[], options: { preferred: string[] }): string | undefined;
  };
  return (negotiator.encoding(ENCODINGS, { preferred: ENCODINGS }) as Encoding | undefined) ?? 'identity';
}

export async function staticWeb(): Promise<RequestHook> {
  const assets = new Map([...(await buildWeb())].map(([name, asset]) => [name, prepare(asset)]));
  return (req: IncomingMessage, res: ServerResponse, target) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const page = target.path === '/' ? '/index.html' : target.path === ADMIN_PATH || target.path === `${ADMIN_PATH}/` ? '/admin.html' : target.path;
    const asset = assets.get(page);
    if (!asset) return false;
    const encoding = pickEncoding(req.headers['accept-encoding']);
    const { body, etag } = asset.variants[encoding];
    const headers: Record<string, string | number> = {
      ...PAGE_SECURITY_HEADERS, 'content-type': asset.contentType, 'cache-control': asset.cacheControl, etag, vary: 'Accept-Encoding',
    };
    if (fresh(req.headers, { etag })) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    res.writeHead(200, { ...headers, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
