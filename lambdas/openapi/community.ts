// The OpenAPI description of templates, history, timelapse and heatmap (issue
// 12), merged into lambdas/openapi.ts's document.
import type { Config } from '../../core/config.ts';
import { TEMPLATE_MAX_SIDE } from '../../core/community/template-image.ts';
import { TIMELAPSE_LIMITS } from '../../core/history/timelapse-params.ts';

type Schema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const int = (min = 0, max?: number): Schema => ({ type: 'integer', minimum: min, ...(max === undefined ? {} : { maximum: max }) });
const jsonResponse = (description: string, schema: Schema, headers?: Schema): Schema =>
  ({ description, content: { 'application/json': { schema } }, ...(headers ? { headers } : {}) });
const error = (description: string): Schema => jsonResponse(description, ref('Error'));
const binary = (description: string, type: string, headers?: Schema): Schema =>
  ({ description, content: { [type]: { schema: { type: 'string', contentMediaType: type } } }, ...(headers ? { headers } : {}) });
const badRequest = { 400: error('The request cannot be read or a parameter is invalid (the code names which)') };
const unavailable = { 503: error('A store is unavailable (Retry-After)') };
const capped = { 429: error('Too many uncached heavy reads from this address, or in all, this minute (Retry-After)') };
const tooLarge = { 422: error('range_too_large: answering would replay more placements than HISTORY_MAX_REPLAY allows') };
const query = (name: string, schema: Schema, description: string, required = false) => ({ name, in: 'query', required, schema, description });
const session = [{ bearer: [] }, { cookie: [] }];
const templateId = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{11}$' } };

export function communitySchemas(): Record<string, Schema> {
  return {
    NewTemplate: {
      type: 'object', required: ['name', 'x', 'y', 'image'], additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 64 }, x: int(), y: int(),
        image: { type: 'string', contentEncoding: 'base64', contentMediaType: 'image/png', description: `A PNG of at most ${TEMPLATE_MAX_SIDE}×${TEMPLATE_MAX_SIDE} and 1 MiB` },
        dither: { type: 'boolean', description: 'Floyd–Steinberg dithering when quantising (default false: nearest colour)' },
      },
    },
    TemplateCreated: {
      type: 'object', required: ['id', 'url'], additionalProperties: false,
      properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{11}$' }, url: { type: 'string' } },
    },
    Template: {
      type: 'object', additionalProperties: false,
      required: ['id', 'name', 'x', 'y', 'width', 'height', 'pixels', 'correct', 'wrong', 'griefedLastHour', 'updatedAtSeq'],
      properties: {
        id: { type: 'string' }, name: { type: 'string' }, x: int(), y: int(), width: int(1), height: int(1), pixels: int(1),
        correct: int(), wrong: int(), griefedLastHour: int(), updatedAtSeq: int(),
      },
    },
    HistoryEntry: {
      type: 'object', required: ['seq', 'at', 'url'], additionalProperties: false,
      properties: { seq: int(), at: int(), url: { type: 'string' } },
    },
  };
}

/** Paths in match order: {id}.png before {id} (test-support/openapi-check.ts takes the first that matches). */
export function communityPaths(config: Pick<Config, 'board'>): Record<string, Schema> {
  const { width, height } = config.board;
  const region = [
    query('x0', int(0, width - 1), 'Left edge (default 0)'), query('y0', int(0, height - 1), 'Top edge (default 0)'),
    query('x1', int(1, width), 'Right edge, exclusive (default the width)'), query('y1', int(1, height), 'Bottom edge, exclusive (default the height)'),
  ];
  return {
    '/api/templates': {
      post: {
        operationId: 'create-template', summary: 'Create a template (session required; capped per address)', security: session,
        requestBody: { required: true, content: { 'application/json': { schema: ref('NewTemplate') } } },
        responses: {
          201: jsonResponse('Created', ref('TemplateCreated'), { Location: { description: 'The template', schema: { type: 'string' } } }),
          400: error('invalid_json, invalid_template (a field), not_png, invalid_image, image_too_large, image_too_big, off_board, no_opaque_pixels'),
          401: error('No valid session'),
          413: error('The body is larger than a request may be'),
          415: error('Not application/json'),
          429: error('Too many templates from this address this hour (Retry-After)'),
          ...unavailable,
        },
      },
    },
    '/api/templates/{id}.png': {
      get: {
        operationId: 'get-template-png', summary: 'The quantised template image (transparent outside the template)', parameters: [templateId],
        responses: { 200: binary('The image (immutable)', 'image/png'), 404: error('No such template'), ...badRequest, ...unavailable },
      },
    },
    '/api/templates/{id}': {
      get: {
        operationId: 'get-template', summary: 'A template and its progress', parameters: [templateId],
        responses: { 200: jsonResponse('The template; counts are current to updatedAtSeq', ref('Template')), 404: error('No such template'), ...badRequest, ...unavailable },
      },
    },
    '/api/history': {
      get: {
        operationId: 'get-history', summary: 'Board snapshots, oldest first, each with the URL of its PNG',
        parameters: [query('after', int(), 'Only snapshots with a greater seq (paging: the last seq of the previous page)'), query('limit', int(1, 1000), 'At most this many (default 1000)')],
        responses: { 200: jsonResponse('Snapshots', { type: 'array', items: ref('HistoryEntry') }), ...badRequest, ...unavailable },
      },
    },
    '/api/timelapse.webp': {
      get: {
        operationId: 'get-timelapse', summary: 'An animated WebP of the board (or a region) between two moments',
        parameters: [
          query('from', int(), 'Start (ms epoch)', true), query('to', int(), 'End (ms epoch), in the past', true),
          query('frames', int(2, TIMELAPSE_LIMITS.maxFrames), `Frames (default ${TIMELAPSE_LIMITS.defaultFrames}); frames × area is at most ${TIMELAPSE_LIMITS.maxPixelFrames}`),
          query('fps', int(1, TIMELAPSE_LIMITS.maxFps), `Frames a second (default ${TIMELAPSE_LIMITS.defaultFps})`), ...region,
        ],
        responses: {
          200: binary('The animation (immutable: the parameters determine it)', 'image/webp'),
          302: { description: 'Too large to pass through a function: it is stored, and this redirects to it', headers: { Location: { schema: { type: 'string' } } } },
          ...badRequest, ...tooLarge, ...capped, ...unavailable,
        },
      },
    },
    '/api/heatmap.png': {
      get: {
        operationId: 'get-heatmap', summary: 'Placements per pixel in a window, on a perceptual colour scale (transparent where none)',
        parameters: [query('since', int(), 'Window start (ms epoch)', true), query('until', int(), 'Window end (ms epoch; default now)')],
        responses: { 200: binary('The heatmap', 'image/png'), ...badRequest, ...tooLarge, ...capped, ...unavailable },
      },
    },
  };
}

/** The parameters and answers GET /api/board.png gains for history (?at= or ?seq=). */
export const BOARD_PNG_HISTORY = {
  parameters: [
    query('at', int(), 'The board as it was at this moment (ms epoch), exactly: the nearest snapshot before it plus the placements after it up to then'),
    query('seq', int(), 'The board as it was after this seq'),
  ],
  responses: { ...tooLarge, ...capped },
};
