// GET /api/board.png → the board as a PNG in the exact palette colours; with ?at= or ?seq=, as
// it was then (lambdas/history/past-board-png.ts).
import { albHandler } from './http/handler.ts';
import { header } from './http/request.ts';
import { pastBoardPng } from './history/past-board-png.ts';
import { binaryBase64, empty } from './http/responses.ts';
import { boardEtag, boardHeaders, currentBoard, currentHead, publishedRedirect } from './board-cache.ts';
import { services } from './runtime.ts';

export const handler = albHandler('get-board-png', async (event) => {
  const s = await services();
  if (event.queryStringParameters?.at !== undefined || event.queryStringParameters?.seq !== undefined) return pastBoardPng(event, s);
  const head = await currentHead(s);
  const etag = boardEtag(head).replace(/"$/, '-png"');
  const headers = { 'cache-control': `public, max-age=${s.config.boardMaxAgeSeconds}`, etag, ...boardHeaders(head) };
  if (header(event, 'if-none-match') === etag) return empty(304, headers);
  const published = await publishedRedirect(s, head, 'png');
  if (published) return published;
  const board = await currentBoard(s.store, head);
  return binaryBase64(200, await board.pngBase64(), { ...headers, ...boardHeaders(board), 'content-type': 'image/png' });
});
