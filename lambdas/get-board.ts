// GET /api/board → the packed board (W·H/2 bytes) with the seq of the last write it includes.
import { albHandler } from './http/handler.ts';
import { acceptsGzip, header } from './http/request.ts';
import { binaryBase64, empty } from './http/responses.ts';
import { boardEtag, currentBoard, currentSeq } from './board-cache.ts';
import { services } from './runtime.ts';

export const handler = albHandler('get-board', async (event) => {
  const s = await services();
  const { board: size } = s.config;
  const seq = await currentSeq(s);
  const cacheHeaders = {
    'cache-control': `public, max-age=${s.config.boardMaxAgeSeconds}`,
    vary: 'Accept-Encoding',
  };
  if (header(event, 'if-none-match') === boardEtag(size, seq)) {
    return empty(304, { ...cacheHeaders, etag: boardEtag(size, seq), 'x-board-seq': String(seq) });
  }
  const board = await currentBoard(s.store, size, seq);
  const headers = {
    ...cacheHeaders,
    'content-type': 'application/octet-stream',
    etag: boardEtag(size, board.seq),
    'x-board-seq': String(board.seq),
    'x-board-width': String(size.width),
    'x-board-height': String(size.height),
    'access-control-expose-headers': 'X-Board-Seq, X-Board-Width, X-Board-Height, ETag',
  };
  if (acceptsGzip(event)) return binaryBase64(200, await board.gzipBase64(), { ...headers, 'content-encoding': 'gzip' });
  return binaryBase64(200, board.rawBase64(), headers);
});
