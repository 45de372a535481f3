// Serves stored media (DATA_DIR/media: stored timelapses, export files) at MEDIA_URL in the local
// runner, as CloudFront serves the media bucket in AWS. Only GET/HEAD of stored keys.
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Services } from '../core/service/services.ts';
import { FileMediaStore } from '../core/media/media-store.ts';
import type { RequestHook } from './local-server.ts';

const TYPES: Record<string, string> = { '.webp': 'image/webp', '.png': 'image/png', '.csv': 'text/csv', '.json': 'application/json', '.parquet': 'application/vnd.apache.parquet' };

export function mediaFiles(services: Services): RequestHook {
  const { media } = services.community;
  const base = services.config.community.mediaUrl;
  return async (req: IncomingMessage, res: ServerResponse, target) => {
    if (!(media instanceof FileMediaStore) || !base.startsWith('/') || !target.path.startsWith(base)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let key = '';
    let size: number | null;
    try {
      key = decodeURIComponent(target.path.slice(base.length));
      size = await media.size(key);
    } catch {
      size = null; // not a key
    }
    if (size === null) return false;
    res.writeHead(200, {
      'content-type': TYPES[path.extname(key)] ?? 'application/octet-stream', 'content-length': size,
      'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else media.stream(key).pipe(res);
    return true;
  };
}
