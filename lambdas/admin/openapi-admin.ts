// The moderation part of the OpenAPI document (lambdas/openapi.ts merges it): users' reports and
// the admin API v1 under /api/admin/ (docs/MODERATION.md).
type Schema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const int = (min = 0): Schema => ({ type: 'integer', minimum: min });
const str: Schema = { type: 'string' };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
const obj = (required: string[], properties: Record<string, Schema>, closed = true): Schema =>
  ({ type: 'object', required, properties, ...(closed ? { additionalProperties: false } : {}) });
const jsonResponse = (description: string, schema: Schema) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => jsonResponse(description, ref('Error'));
const session = [{ bearer: [] }, { cookie: [] }];
const reason = { type: 'string', minLength: 1, maxLength: 500, description: 'Why (kept in the audit log)' };
const rect = { x0: int(), y0: int(), x1: int(), y1: int() };
const provenance = { by: str, at: int(), reason: str };

export const ADMIN_SCHEMAS: Record<string, Schema> = {
  BoardStatus: obj(['state', 'message', 'opensAt', 'cooldownMs'], {
    state: { enum: ['live', 'paused', 'ended'] }, message: nullable(str), opensAt: nullable(int()), cooldownMs: int(),
  }),
  AdminPlacement: obj(['x', 'y', 'color', 'userId', 'placedAt', 'seq'], { x: int(), y: int(), color: int(), userId: str, placedAt: int(), seq: int(1) }),
  ChangeResult: obj(['pixels', 'rollbackId'], {
    pixels: int(), rollbackId: nullable(str), firstSeq: int(1), lastSeq: int(1),
    previewPng: { type: 'string', contentEncoding: 'base64', description: 'Dry run: the area now (left) and after (right), as a PNG' },
  }),
  Area: obj(['name', 'x0', 'y0', 'x1', 'y1', ...Object.keys(provenance)], { name: str, ...rect, ...provenance }),
  Ban: obj(['userId', 'until', 'shadow', ...Object.keys(provenance)], { userId: str, until: nullable(int()), shadow: { type: 'boolean' }, ...provenance }),
  IpBan: obj(['cidr', 'until', ...Object.keys(provenance)], { cidr: str, until: nullable(int()), ...provenance }),
  Role: obj(['userId', 'role', ...Object.keys(provenance)], { userId: str, role: { enum: ['admin', 'moderator'] }, ...provenance }),
  AuditEntry: obj(['id', 'at', 'actor', 'action', 'reason', 'details'], { id: str, at: int(), actor: str, action: str, reason: str, details: { type: 'object' } }),
  Report: obj(['id', 'at', 'userId', 'x', 'y', 'reason', 'pixel', 'status', 'resolution'], {
    id: str, at: int(), userId: str, x: int(), y: int(), reason: str, status: { enum: ['open', 'resolved'] },
    pixel: nullable(obj(['color', 'userId', 'placedAt', 'seq'], { color: int(), userId: str, placedAt: int(), seq: int() })),
    resolution: nullable(obj(['by', 'at', 'reason'], provenance)),
  }),
};

const common = {
  400: error('Bad input (invalid_body, invalid_json, invalid_query, invalid_path, invalid_cidr, …); nothing changed'),
  401: error('No valid session'),
  403: error('forbidden: the session\'s user has no moderator role (or, where admins only, no admin role)'),
  503: error('A store is unavailable; see docs/API.md'),
};
const withBody = { 413: error('Body over 4 KiB'), 415: error('Not application/json') };

function op(operationId: string, summary: string, responses: Record<string, Schema>, extra: Schema = {}): Schema {
  return { operationId, summary, security: session, responses: { ...common, ...responses }, ...extra };
}
const body = (schema: Schema) => ({ requestBody: { required: true, content: { 'application/json': { schema } } } });
const pathParam = (name: string, description: string) => ({ parameters: [{ name, in: 'path', required: true, schema: str, description }] });
const q = (name: string, required: boolean, schema: Schema, description?: string) => ({ name, in: 'query', required, schema, ...(description ? { description } : {}) });
const reasonOnly = obj(['reason'], { reason });

export function adminPaths(): Record<string, Schema> {
  return {
    '/api/reports': {
      post: op('create-report', 'Report a pixel to the moderators (capped per user an hour)', {
        201: jsonResponse('Reported', obj(['id'], { id: str })), 429: error('Too many reports this hour (retryAfterMs)'), ...withBody,
      }, body(obj(['x', 'y', 'reason'], { x: int(), y: int(), reason }))),
    },
    '/api/admin/me': { get: op('admin-me', 'The caller\'s role', { 200: jsonResponse('The role', obj(['userId', 'role'], { userId: str, role: { enum: ['admin', 'moderator'] } })) }) },
    '/api/admin/placements': {
      get: op('admin-placements', 'Placements in a rectangle (corners included) and time window, newest first', {
        200: jsonResponse('The placements', obj(['placements', 'truncated'], { placements: { type: 'array', items: ref('AdminPlacement') }, truncated: { type: 'boolean' } })),
      }, {
        parameters: [...['x0', 'y0', 'x1', 'y1'].map((n) => q(n, true, int())), q('from', true, int(), 'ms since 1970'), q('to', true, int(), 'ms since 1970'),
          q('userId', false, str), q('limit', false, { type: 'integer', minimum: 1, maximum: 10_000 }, 'default 1000')],
      }),
    },
    '/api/admin/rollback': {
      post: op('admin-rollback', 'Restore each pixel whose placements in the window match to its colour before them (unless covered since); dryRun: a preview', {
        200: jsonResponse('What changed (or, on a dry run, would change)', ref('ChangeResult')), 409: error('busy: another rollback, undo or fill is running'), ...withBody,
      }, body(obj(['x0', 'y0', 'x1', 'y1', 'from', 'to', 'reason'], { ...rect, from: int(), to: int(), userId: nullable(str), dryRun: { type: 'boolean' }, reason }))),
    },
    '/api/admin/rollback/{rollbackId}/undo': {
      post: op('admin-rollback-undo', 'Put back what a rollback or fill replaced, where nobody placed since', {
        200: jsonResponse('What changed', ref('ChangeResult')), 404: error('No such rollback'), 409: error('already_undone, not_undoable or busy'), ...withBody,
      }, { ...pathParam('rollbackId', 'From a rollback or fill reply'), ...body(reasonOnly) }),
    },
    '/api/admin/fill': {
      post: op('admin-fill', 'Paint a rectangle (at most 100×100) as the moderator\'s placements; undoable', {
        200: jsonResponse('What changed', ref('ChangeResult')), 409: error('busy'), ...withBody,
      }, body(obj(['x0', 'y0', 'x1', 'y1', 'color', 'reason'], { ...rect, color: { type: 'integer', minimum: 0, maximum: 15 }, reason }))),
    },
    '/api/admin/protected': { get: op('admin-protected-list', 'Protected areas', { 200: jsonResponse('The areas', obj(['areas'], { areas: { type: 'array', items: ref('Area') } })) }) },
    '/api/admin/protected/{name}': {
      put: op('admin-protected-put', 'Protect an area: ordinary users\' writes inside get 403 protected', {
        200: jsonResponse('The area', obj(['area'], { area: ref('Area') })), 409: error('busy'), ...withBody,
      }, { ...pathParam('name', '1–64 letters, digits, - or _'), ...body(obj(['x0', 'y0', 'x1', 'y1', 'reason'], { ...rect, reason })) }),
      delete: op('admin-protected-delete', 'Stop protecting an area', {
        200: jsonResponse('Deleted', obj(['deleted'], { deleted: str })), 404: error('No such area'), 409: error('busy'), ...withBody,
      }, { ...pathParam('name', 'The area'), ...body(reasonOnly) }),
    },
    '/api/admin/bans': { get: op('admin-bans-list', 'Users\' bans', { 200: jsonResponse('The bans', obj(['bans'], { bans: { type: 'array', items: ref('Ban') } })) }) },
    '/api/admin/bans/{userId}': {
      put: op('admin-ban-put', 'Ban a user (until a time or until lifted; shadow: their writes get 201 and change nothing)', {
        200: jsonResponse('The ban', obj(['ban'], { ban: ref('Ban') })), ...withBody,
      }, { ...pathParam('userId', 'The user'), ...body(obj(['reason'], { until: nullable(int()), reason, shadow: { type: 'boolean' } })) }),
      delete: op('admin-ban-delete', 'Lift a user\'s ban', {
        200: jsonResponse('Deleted', obj(['deleted'], { deleted: str })), 404: error('Not banned'), ...withBody,
      }, { ...pathParam('userId', 'The user'), ...body(reasonOnly) }),
    },
    '/api/admin/ip-bans': { get: op('admin-ip-bans-list', 'Address-range bans', { 200: jsonResponse('The bans', obj(['bans'], { bans: { type: 'array', items: ref('IpBan') } })) }) },
    '/api/admin/ip-bans/{cidr}': {
      put: op('admin-ip-ban-put', 'Ban an IPv4/IPv6 address or CIDR range (its "/" %-encoded or not)', {
        200: jsonResponse('The ban (CIDR normalised)', obj(['ban'], { ban: ref('IpBan') })), 409: error('busy'), ...withBody,
      }, { ...pathParam('cidr', 'e.g. 203.0.113.0%2F24, 2001:db8::%2F32, 198.51.100.7'), ...body(obj(['reason'], { until: nullable(int()), reason })) }),
      delete: op('admin-ip-ban-delete', 'Lift a range\'s ban', {
        200: jsonResponse('Deleted', obj(['deleted'], { deleted: str })), 404: error('Not banned'), 409: error('busy'), ...withBody,
      }, { ...pathParam('cidr', 'The range as banned'), ...body(reasonOnly) }),
    },
    '/api/admin/board': {
      put: op('admin-board', 'Set the board\'s state, message, opening time and cooldown (admins only)', {
        200: jsonResponse('The state in force', obj(['status'], { status: ref('BoardStatus') })), ...withBody,
      }, body(obj(['state', 'reason'], {
        state: { enum: ['live', 'paused', 'ended'] }, message: nullable({ type: 'string', maxLength: 280 }), cooldownMs: { type: 'integer', minimum: 0, maximum: 86_400_000 },
        opensAt: nullable(int()), reason,
      }))),
    },
    '/api/admin/audit': {
      get: op('admin-audit', 'The append-only audit log, newest first', {
        200: jsonResponse('Entries', obj(['entries'], { entries: { type: 'array', items: ref('AuditEntry') } })),
      }, { parameters: [q('limit', false, { type: 'integer', minimum: 1, maximum: 1000 }), q('before', false, int(), 'only entries before this time (ms)')] }),
    },
    '/api/admin/reports': {
      get: op('admin-reports', 'Users\' reports, newest first', {
        200: jsonResponse('Reports', obj(['reports'], { reports: { type: 'array', items: ref('Report') } })),
      }, { parameters: [q('status', false, { enum: ['open', 'resolved'] }), q('limit', false, { type: 'integer', minimum: 1, maximum: 1000 })] }),
    },
    '/api/admin/reports/{reportId}/resolve': {
      post: op('admin-report-resolve', 'Resolve a report', {
        200: jsonResponse('The report', obj(['report'], { report: ref('Report') })), 404: error('No such report'), 409: error('already_resolved'), ...withBody,
      }, { ...pathParam('reportId', 'The report'), ...body(reasonOnly) }),
    },
    '/api/admin/roles': { get: op('admin-roles-list', 'Roles (admins only)', { 200: jsonResponse('Roles', obj(['roles'], { roles: { type: 'array', items: ref('Role') } })) }) },
    '/api/admin/roles/{userId}': {
      put: op('admin-role-put', 'Grant a role (admins only)', {
        200: jsonResponse('Granted', obj(['userId', 'role'], { userId: str, role: { enum: ['admin', 'moderator'] } })), ...withBody,
      }, { ...pathParam('userId', 'The user'), ...body(obj(['role', 'reason'], { role: { enum: ['admin', 'moderator'] }, reason })) }),
      delete: op('admin-role-delete', 'Revoke a role (admins only); effective at once', {
        200: jsonResponse('Revoked', obj(['deleted'], { deleted: str })), 404: error('Holds no role'), ...withBody,
      }, { ...pathParam('userId', 'The user'), ...body(reasonOnly) }),
    },
  };
}
