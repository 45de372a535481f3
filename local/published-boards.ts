// Serves published boards (core/publish) at /boards/ for the local run, from DATA_DIR/published,
// with what CloudFront and S3 give in AWS: immutable caching, gzip encoding for the board bytes,
// the board's head in headers, and 304 for a matching If-None-Match.
import type http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parsePublishedKey } from '../core/publish/published-board.ts';
import { API_SECURITY_HEADERS } from '../lambdas/http/responses.ts';

export async function servePublished(req: http.IncomingMessage, res: http.ServerResponse, urlPath: string, dir: string): Promise<void> {
  const key = urlPath.slice(1);
  const head = parsePublishedKey(key);
  const file = head ? path.join(dir, key) : null;
  const size = file ? await stat(file).then((s) => s.size, () => null) : null;
  if (!head || !file || size === null) {
    res.writeHead(404, { ...API_SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: 'not_found', message: 'No such published board (they are kept a short while).' }));
    return;
  }
  const etag = `"${key}"`;
  const headers = {
    ...API_SECURITY_HEADERS,
    'content-type': head.kind === 'png' ? 'image/png' : 'application/octet-stream',
    ...(head.kind === 'bin' ? { 'content-encoding': 'gzip' } : {}),
    'cache-control': 'public, max-age=31536000, immutable',
    etag,
    'x-board-seq': String(head.seq), 'x-board-epoch': String(head.epoch), 'x-board-width': String(head.width), 'x-board-height': String(head.height),
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': String(size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
