// GET /api/board → the packed board (W·H/2 bytes) with the seq of the last write it includes: a
// redirect to the newest published copy (core/publish) while one is fresh, else built here.
import { albHandler } from './http/handler.ts';
import { acceptsGzip, header } from './http/request.ts';
import { binaryBase64, empty } from './http/responses.ts';
import { boardEtag, boardHeaders, currentBoard, currentHead, publishedRedirect } from './board-cache.ts';
import { services } from './runtime.ts';

export const handler = albHandler('get-board', async (event) => {
  const s = await services();
  const head = await currentHead(s);
  const cacheHeaders = {
    'cache-control': `public, max-age=${s.config.boardMaxAgeSeconds}`,
    vary: 'Accept-Encoding',
  };
  if (header(event, 'if-none-match') === boardEtag(head)) {
    return empty(304, { ...cacheHeaders, etag: boardEtag(head), ...boardHeaders(head) });
  }
  const published = await publishedRedirect(s, head, 'bin');
  if (published) return published;
  const board = await currentBoard(s.store, head);
  const headers = {
    ...cacheHeaders,
    'content-type': 'application/octet-stream',
    etag: boardEtag(board),
    ...boardHeaders(board),
    'access-control-expose-headers': 'X-Board-Seq, X-Board-Epoch, X-Board-Width, X-Board-Height, ETag',
  };
  if (acceptsGzip(event)) return binaryBase64(200, await board.gzipBase64(), { ...headers, 'content-encoding': 'gzip' });
  return binaryBase64(200, board.rawBase64(), headers);
});
