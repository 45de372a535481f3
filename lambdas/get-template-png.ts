// GET /api/templates/{id}.png → the quantised template image (transparent where it is not
// part of the template). It never changes: immutable.
import { TEMPLATE_ID } from '../core/community/template-records.ts';
import { imageKey } from '../core/community/templates.ts';
import { albHandler } from './http/handler.ts';
import { binary, errorResponse } from './http/responses.ts';
import { services } from './runtime.ts';

export const handler = albHandler('get-template-png', async (event) => {
  const id = event.path.match(/^\/api\/templates\/([^/]*)\.png$/)?.[1] ?? '';
  if (!TEMPLATE_ID.test(id)) return errorResponse(404, 'not_found', 'There is no such template.');
  const s = await services();
  const png = await s.community.media.get(imageKey(id));
  if (!png) return errorResponse(404, 'not_found', 'There is no such template.');
  return binary(200, png, { 'content-type': 'image/png', 'cache-control': 'public, max-age=31536000, immutable' });
});
