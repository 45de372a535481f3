// Serves the web page from memory in the local runner (bundled once at start), with the same
// security headers CloudFront's response headers policy adds in AWS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_PATH, buildWeb, PAGE_SECURITY_HEADERS } from './web-build.ts';
import type { RequestHook } from './local-server.ts';

export async function staticWeb(): Promise<RequestHook> {
  const assets = await buildWeb();
  return (req: IncomingMessage, res: ServerResponse, target) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const file = target.path === '/' ? '/index.html' : target.path === ADMIN_PATH ? '/admin.html' : target.path;
    const asset = assets.get(file);
    if (!asset) return false;
    res.writeHead(200, {
      ...PAGE_SECURITY_HEADERS, 'content-type': asset.contentType, 'content-length': asset.body.length, 'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}
