// Serves the web page from memory in the local runner (bundled once at start).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildWeb } from '../web/build.ts';
import type { RequestHook } from './local-server.ts';

export async function staticWeb(): Promise<RequestHook> {
  const assets = await buildWeb();
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const asset = assets.get(path === '/' ? '/index.html' : path);
    if (!asset) return false;
    res.writeHead(200, { 'content-type': asset.contentType, 'content-length': asset.body.length, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}
