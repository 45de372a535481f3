// The HTTP API as an OpenAPI 3.1 document, for a given config (board size, cooldown). The
// request body schema comes from the same zod schema the handler validates with. Tests check
// that every route in the route table is here, that the document is valid OpenAPI, and that
// every response the contract tests get matches it. `npm run openapi` prints it.
import { z } from 'zod';
import type { Config } from '../core/config.ts';
import { pixelWriteSchema } from '../core/domain/pixel-write.ts';
import { MAX_BOARD_SIDE } from '../core/domain/board-codec.ts';
import { COLOR_COUNT } from '../core/domain/palette.ts';
import { CONFIG_PROPERTIES, GUARD_ERROR_PROPERTIES, SOLUTION, GUARD_SCHEMAS, guardPaths, ME_PROPERTIES } from './openapi/guard.ts';
import { ADMIN_SCHEMAS, adminPaths } from './admin/openapi-admin.ts';
import { BOARD_PNG_HISTORY, communityPaths, communitySchemas } from './openapi/community.ts';

type Schema = Record<string, unknown>;
type Responses = Record<string, Schema>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const int = (min = 0): Schema => ({ type: 'integer', minimum: min });

const jsonResponse = (description: string, schema: Schema, headers?: Schema): Schema =>
  ({ description, content: { 'application/json': { schema } }, ...(headers ? { headers } : {}) });
const error = (description: string): Schema => jsonResponse(description, ref('Error'));
const header = (description: string, schema: Schema = { type: 'string' }) => ({ description, schema });

const unavailable = { 503: error('A store is unavailable; see "What a 503 means" in docs/API.md. Has Retry-After.') };
const badRequest = { 400: error('The request cannot be read (invalid_request, invalid_query) or a parameter is invalid.') };
const boardHeaders = {
  'X-Board-Seq': header('The seq of the last write in these bytes', { type: 'integer' }),
  'X-Board-Epoch': header('Which restore of the board this is; it changes with every rebuild', { type: 'integer' }),
  ETag: header('Board size, epoch and seq: equal ETags mean equal bytes'),
};

export function openApiDocument(config: Pick<Config, 'board' | 'cooldown' | 'sessionMaxAgeMs'>): Schema {
  const { width, height } = config.board;
  // The board may grow during an event, so the document bounds coordinates by the largest board;
  // a write off the board as it is now is refused with 400 invalid_pixel.
  const body = z.toJSONSchema(pixelWriteSchema({ width: MAX_BOARD_SIDE, height: MAX_BOARD_SIDE }), { io: 'input', target: 'draft-2020-12' }) as Schema;
  delete body.$schema;
  body.description = 'x < the board\'s width and y < its height (X-Board-Width, X-Board-Height: it may grow during an event)';
  (body.properties as Schema).challenge = { ...SOLUTION, description: 'A solved challenge, when the last answer was 403 challenge_required' };
  const op = (operationId: string, summary: string, responses: Responses, extra: Schema = {}) =>
    ({ operationId, summary, responses: { ...badRequest, ...responses }, ...extra });
  const session = [{ bearer: [] }, { cookie: [] }];

  return {
    openapi: '3.1.0',
    info: {
      title: 'Pixel board HTTP API',
      version: '1',
      description: `A board of ${COLOR_COUNT} colours, ${width}×${height} at first (it may grow during an event); one pixel per user every ${config.cooldown.cooldownMs} ms. `
        + 'Every error is {"error", "message"} and changes nothing. See docs/API.md.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/session' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'place_session' },
      },
      schemas: {
        Error: {
          type: 'object', required: ['error', 'message'],
          properties: {
            error: { type: 'string', pattern: '^[a-z_]+$', description: 'A machine-readable code' },
            message: { type: 'string', minLength: 1, description: 'A sentence for people' },
            field: { enum: ['x', 'y', 'color', 'body'] },
            retryAfterMs: int(),
            reason: { enum: ['cooldown', 'ip'] },
            ...GUARD_ERROR_PROPERTIES,
            until: { type: ['integer', 'null'], description: 'banned: when the ban ends (null: until lifted)' },
            state: { enum: ['live', 'paused', 'ended'], description: 'board_closed: the board\'s state' },
            opensAt: { type: ['integer', 'null'], description: 'board_closed: when writes open (a countdown)' },
            boardMessage: { type: ['string', 'null'], description: 'board_closed: the admins\' message' },
            undoneBy: { type: 'string' },
          },
        },
        ...ADMIN_SCHEMAS,
        PixelWrite: body,
        ...GUARD_SCHEMAS,
        Placed: {
          type: 'object', required: ['x', 'y', 'color', 'seq', 'placedAt', 'nextAllowedAt'], additionalProperties: false,
          properties: { x: int(), y: int(), color: int(), seq: int(1), placedAt: int(), nextAllowedAt: int() },
        },
        Session: {
          type: 'object', required: ['userId', 'token'], additionalProperties: false,
          properties: { userId: { type: 'string', pattern: '^[A-Za-z0-9_-]{16}$' }, token: { type: 'string' } },
        },
        Config: {
          type: 'object', required: ['width', 'height', 'palette', 'names', 'cooldownMs', 'state', 'message', 'opensAt'],
          properties: {
            width: int(1), height: int(1), cooldownMs: int(),
            state: { enum: ['live', 'paused', 'ended'] }, message: { type: ['string', 'null'] }, opensAt: { type: ['integer', 'null'] },
            palette: { type: 'array', minItems: COLOR_COUNT, maxItems: COLOR_COUNT, items: { type: 'string', pattern: '^#[0-9A-F]{6}$' } },
            names: { type: 'array', minItems: COLOR_COUNT, maxItems: COLOR_COUNT, items: { type: 'string', minLength: 1 }, description: 'What people call each colour, in palette order' },
            ...CONFIG_PROPERTIES,
          },
        },
        PixelInfo: {
          type: 'object', required: ['x', 'y', 'color', 'userId', 'placedAt'], additionalProperties: false,
          properties: { x: int(), y: int(), color: int(), userId: { type: 'string' }, placedAt: int() },
        },
        Me: {
          type: 'object', required: ['userId', 'lastPlacedAt', 'nextAllowedAt', 'cooldownMs', 'exportId', 'provider', 'displayName', 'eligible', 'ineligibleReason'],
          properties: {
            userId: { type: 'string' }, lastPlacedAt: { type: ['integer', 'null'] }, nextAllowedAt: int(), cooldownMs: int(),
            exportId: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$', description: 'The user column of this user\'s rows in the export (npm run export)' },
            ...ME_PROPERTIES,
          },
        },
        Health: { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } },
        ...communitySchemas(),
      },
    },
    paths: {
      '/api/session': {
        post: op('create-session', 'Start an anonymous session (capped per address; with proof of work on, it needs a solved challenge)', {
          201: jsonResponse('The session; also set as the place_session cookie', ref('Session'), { 'Set-Cookie': header('place_session=<token>; HttpOnly; SameSite=Lax; Path=/') }),
          403: error('challenge_required (no solution; a fresh challenge is in the answer), challenge_failed (wrong, expired or reused solution), captcha_required, captcha_failed, signin_required (SIGNIN_MODE=signin-required)'),
          413: error('Body over 4 KiB'),
          415: error('A body that is not application/json'),
          429: error('Too many sessions from this address this hour (Retry-After)'),
          503: error('A store is unavailable, or sessions_paused: new sessions are paused at defence level 2 (Retry-After)'),
        }, { requestBody: { required: false, content: { 'application/json': { schema: ref('SessionRequest') } } } }),
      },
      '/api/config': {
        get: op('get-config', 'Board size, palette, and the board\'s state and cooldown in force', { 200: jsonResponse('The config', ref('Config')), ...unavailable }),
      },
      '/api/board': {
        get: op('get-board', 'The packed board: 4 bits a pixel, pixel y·W+x in byte i>>1, high nibble for even i', {
          200: {
            description: 'W·H/2 bytes (gzip when accepted)',
            headers: { ...boardHeaders, 'X-Board-Width': header('Board width', int(1)), 'X-Board-Height': header('Board height', int(1)) },
            content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
          },
          302: { description: 'The newest published copy (Location: /boards/…), served by the CDN with the same X-Board-* headers (x-amz-meta-board-* from S3)' },
          304: { description: 'Not modified (If-None-Match)', headers: boardHeaders },
          ...unavailable,
        }),
      },
      '/api/board/tiles/{tx}/{ty}': {
        get: op('get-tile', 'One 256×256 tile of the board (smaller at the right and bottom edges), packed like the board; for repairing a tile the digest says differs', {
          200: {
            description: 'width·height/2 bytes of the tile, row by row',
            headers: {
              ...boardHeaders, 'X-Tile-X': header('Left column of the tile', int()), 'X-Tile-Y': header('Top row of the tile', int()),
              'X-Tile-Width': header('Tile width', int(1)), 'X-Tile-Height': header('Tile height', int(1)),
            },
            content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
          },
          ...unavailable,
        }, {
          parameters: [
            { name: 'tx', in: 'path', required: true, schema: int() },
            { name: 'ty', in: 'path', required: true, schema: int() },
          ],
        }),
      },
      '/api/board.png': {
        get: op('get-board-png', 'The board as a PNG in the exact palette colours (now, or at a past moment or seq)', {
          200: { description: 'The image', headers: boardHeaders, content: { 'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } } } },
          302: { description: 'The newest published PNG (Location: /boards/…), served by the CDN' },
          304: { description: 'Not modified (If-None-Match)', headers: boardHeaders },
          ...BOARD_PNG_HISTORY.responses,
          ...unavailable,
        }, { parameters: BOARD_PNG_HISTORY.parameters }),
      },
      '/api/pixels': {
        get: op('get-updates', 'The updates after a seq, as one pixel batch (docs/PROTOCOL.md)', {
          200: {
            description: 'A pixel batch: u8 type 1, u32 firstSeq, u16 count, count × (u16 x, u16 y, u8 color), little-endian',
            headers: { 'X-Board-Seq': header('The seq of the last update in the batch', { type: 'integer' }) },
            content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
          },
          410: error('Those updates are no longer kept, or belong to an earlier epoch: fetch the board'),
          429: error('Too many uncached update requests from this address (Retry-After)'),
          ...unavailable,
        }, {
          parameters: [
            { name: 'since', in: 'query', required: true, schema: int() },
            { name: 'epoch', in: 'query', required: false, schema: int(), description: 'The X-Board-Epoch of the board the client holds' },
          ],
        }),
        post: op('write-pixel', 'Place a pixel', {
          201: jsonResponse('Placed, live and durable', ref('Placed'), { 'Idempotent-Replayed': header('"true" when this answers a repeated Idempotency-Key') }),
          401: error('No, forged, expired or revoked session'),
          403: error('banned (the user or the address; until), protected (the pixel is in a protected area), challenge_required / challenge_failed (solve the challenge in the answer and send it as "challenge"), not_eligible (ineligibleReason says why), signin_required'),
          413: error('Body over 1 KiB'),
          423: error('board_closed: the board is paused, ended, or not open yet (state, boardMessage, opensAt)'),
          415: error('Not application/json'),
          422: error('The Idempotency-Key was used for a different pixel'),
          429: error('Within the cooldown (reason "cooldown") or over the address cap (reason "ip"); Retry-After'),
          ...unavailable,
        }, {
          security: session,
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('PixelWrite') } } },
        }),
      },
      '/api/updates/{epoch}/{segment}': {
        get: op('get-segment', 'The updates of one seq segment (UPDATES_SEGMENT seqs), as one pixel batch: cached for good once full', {
          200: {
            description: 'A pixel batch of the seqs of the segment that exist so far',
            headers: { 'X-Board-Seq': header('The last seq in the batch', { type: 'integer' }), 'X-Board-Epoch': header('The board\'s epoch', { type: 'integer' }) },
            content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
          },
          410: error('Another epoch: the board was restored; fetch the board'),
          429: error('Too many uncached update requests from this address (Retry-After)'),
          ...unavailable,
        }, {
          parameters: [
            { name: 'epoch', in: 'path', required: true, schema: int() },
            { name: 'segment', in: 'path', required: true, schema: int() },
          ],
        }),
      },
      '/api/pixels/{x}/{y}': {
        get: op('get-pixel', 'Who placed a pixel, and when', {
          200: jsonResponse('The latest placement', ref('PixelInfo')),
          404: error('Never placed'),
          ...unavailable,
        }, {
          parameters: [
            { name: 'x', in: 'path', required: true, schema: { type: 'integer', minimum: 0, maximum: width - 1 } },
            { name: 'y', in: 'path', required: true, schema: { type: 'integer', minimum: 0, maximum: height - 1 } },
          ],
        }),
      },
      '/api/me': {
        get: op('get-me', 'The caller\'s cooldown, who they signed in as and whether they may place', {
          200: jsonResponse('The session\'s user and cooldown', ref('Me')),
          401: error('No valid session'),
          ...unavailable,
        }, { security: session }),
      },
      ...guardPaths(op),
      '/healthz': {
        get: op('health', 'Whether both stores answer', { 200: jsonResponse('Healthy', ref('Health')), ...unavailable }),
      },
      ...adminPaths(),
      ...communityPaths(config),
    },
  };
}
