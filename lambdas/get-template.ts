// GET /api/templates/{id} → the template and its progress, kept current by the tracker.
import { TEMPLATE_ID } from '../core/community/template-records.ts';
import { templateProgress } from '../core/community/templates.ts';
import { albHandler } from './http/handler.ts';
import { errorResponse, json } from './http/responses.ts';
import { services } from './runtime.ts';

export const handler = albHandler('get-template', async (event) => {
  const id = event.path.match(/^\/api\/templates\/([^/]*)$/)?.[1] ?? '';
  if (!TEMPLATE_ID.test(id)) return errorResponse(404, 'not_found', 'There is no such template.');
  const s = await services();
  const progress = await templateProgress({ ...s, size: s.boardSize.value }, id, Date.now());
  if (!progress) return errorResponse(404, 'not_found', 'There is no such template.');
  // Progress moves with every placement on it: a CDN may share it for a second, like the board.
  return json(200, progress, { 'cache-control': 'public, max-age=1' });
});
