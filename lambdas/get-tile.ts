// GET /api/board/tiles/{tx}/{ty} → one DIGEST_TILE-square tile of the board (smaller at the
// right and bottom edges), packed 4 bits a pixel row by row like the board, with the seq it is
// at. A client fetches a tile only when the digest says its copy of that tile differs.
import { colorAt, setColorAt } from '../core/domain/board-codec.ts';
import { DIGEST_TILE, tileColumns, tileCount, tileRect } from '../core/protocol/board-digest.ts';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { albHandler } from './http/handler.ts';
import { acceptsGzip } from './http/request.ts';
import { binary, errorResponse } from './http/responses.ts';
import { boardHeaders, currentBoard, currentHead } from './board-cache.ts';
import { services } from './runtime.ts';

const gzipAsync = promisify(gzip);
const SHAPE = /^\/api\/board\/tiles\/([^/]+)\/([^/]+)$/;

export const handler = albHandler('get-tile', async (event) => {
  const match = event.path.match(SHAPE);
  if (!match) return errorResponse(404, 'not_found', 'Tiles are at /api/board/tiles/{tx}/{ty}.');
  const s = await services();
  const head = await currentHead(s);
  const [tx, ty] = [match[1]!, match[2]!].map((v) => (/^\d{1,4}$/.test(v) ? Number(v) : -1)) as [number, number];
  const columns = tileColumns(head);
  const rows = tileCount(head) / columns;
  if (tx < 0 || ty < 0 || tx >= columns || ty >= rows) {
    return errorResponse(400, 'invalid_tile', `Tiles are ${DIGEST_TILE} pixels square: 0 ≤ tx < ${columns} and 0 ≤ ty < ${rows} on this ${head.width}×${head.height} board.`);
  }
  const board = await currentBoard(s.store, head);
  const r = tileRect(board, ty * columns + tx);
  const out = new Uint8Array(Math.ceil((r.width * r.height) / 2));
  for (let y = 0, o = 0; y < r.height; y++) {
    const row = (r.y + y) * board.width + r.x;
    for (let x = 0; x < r.width; x++, o++) setColorAt(out, o, colorAt(board.bytes, row + x));
  }
  const gzip = acceptsGzip(event);
  // A tile of a busy board gzips to about 40 % (and CloudFront does not compress octet-streams).
  return binary(200, gzip ? await gzipAsync(out, { level: 6 }) : out, {
    'content-type': 'application/octet-stream',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    vary: 'Accept-Encoding',
    'cache-control': `public, max-age=${s.config.boardMaxAgeSeconds}`,
    ...boardHeaders(board),
    'x-tile-x': String(r.x), 'x-tile-y': String(r.y), 'x-tile-width': String(r.width), 'x-tile-height': String(r.height),
  });
});
