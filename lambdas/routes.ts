// The HTTP functions and the requests each serves. The local runner routes by this table and
// the CDK app makes one Lambda and one ALB rule per entry, from lambdas/<name>.ts.
export interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** ALB path pattern: exact, or with one `*` (a prefix, or a prefix and a suffix as in /api/templates/*.png). */
  path: string;
  /** The path in the OpenAPI document, where it differs (a template for a prefix pattern). */
  openapiPath?: string;
}

export const ROUTES: readonly Route[] = [
  { name: 'create-session', method: 'POST', path: '/api/session' },
  { name: 'get-challenge', method: 'GET', path: '/api/challenge' },
  // Both halves of a sign-in: /api/auth/{provider}/start and /api/auth/{provider}/callback.
  { name: 'auth', method: 'GET', path: '/api/auth/*', openapiPath: '/api/auth/{provider}/{step}' },
  { name: 'auth-logout', method: 'POST', path: '/api/auth/logout' },
  { name: 'get-config', method: 'GET', path: '/api/config' },
  { name: 'get-board', method: 'GET', path: '/api/board' },
  { name: 'get-board-png', method: 'GET', path: '/api/board.png' },
  { name: 'get-tile', method: 'GET', path: '/api/board/tiles/*', openapiPath: '/api/board/tiles/{tx}/{ty}' },
  { name: 'write-pixel', method: 'POST', path: '/api/pixels' },
  { name: 'get-updates', method: 'GET', path: '/api/pixels' },
  { name: 'get-pixel', method: 'GET', path: '/api/pixels/*', openapiPath: '/api/pixels/{x}/{y}' },
  { name: 'get-segment', method: 'GET', path: '/api/updates/*', openapiPath: '/api/updates/{epoch}/{segment}' },
  { name: 'get-me', method: 'GET', path: '/api/me' },
  { name: 'health', method: 'GET', path: '/healthz' },
  // Templates (issue 12). The .png route comes first: the ALB and matchRoute take the first that matches.
  { name: 'create-template', method: 'POST', path: '/api/templates' },
  { name: 'get-template-png', method: 'GET', path: '/api/templates/*.png', openapiPath: '/api/templates/{id}.png' },
  { name: 'get-template', method: 'GET', path: '/api/templates/*', openapiPath: '/api/templates/{id}' },
  // History (issue 12); board.png?at= / ?seq= is get-board-png's.
  { name: 'get-history', method: 'GET', path: '/api/history' },
  { name: 'get-timelapse', method: 'GET', path: '/api/timelapse.webp' },
  { name: 'get-heatmap', method: 'GET', path: '/api/heatmap.png' },
  // Moderation (issue 10; docs/MODERATION.md). Every admin route checks the caller's role on every call.
  { name: 'create-report', method: 'POST', path: '/api/reports' },
  { name: 'admin-me', method: 'GET', path: '/api/admin/me' },
  { name: 'admin-placements', method: 'GET', path: '/api/admin/placements' },
  { name: 'admin-rollback', method: 'POST', path: '/api/admin/rollback' },
  { name: 'admin-rollback-undo', method: 'POST', path: '/api/admin/rollback/*', openapiPath: '/api/admin/rollback/{rollbackId}/undo' },
  { name: 'admin-fill', method: 'POST', path: '/api/admin/fill' },
  { name: 'admin-protected-list', method: 'GET', path: '/api/admin/protected' },
  { name: 'admin-protected-put', method: 'PUT', path: '/api/admin/protected/*', openapiPath: '/api/admin/protected/{name}' },
  { name: 'admin-protected-delete', method: 'DELETE', path: '/api/admin/protected/*', openapiPath: '/api/admin/protected/{name}' },
  { name: 'admin-bans-list', method: 'GET', path: '/api/admin/bans' },
  { name: 'admin-ban-put', method: 'PUT', path: '/api/admin/bans/*', openapiPath: '/api/admin/bans/{userId}' },
  { name: 'admin-ban-delete', method: 'DELETE', path: '/api/admin/bans/*', openapiPath: '/api/admin/bans/{userId}' },
  { name: 'admin-ip-bans-list', method: 'GET', path: '/api/admin/ip-bans' },
  { name: 'admin-ip-ban-put', method: 'PUT', path: '/api/admin/ip-bans/*', openapiPath: '/api/admin/ip-bans/{cidr}' },
  { name: 'admin-ip-ban-delete', method: 'DELETE', path: '/api/admin/ip-bans/*', openapiPath: '/api/admin/ip-bans/{cidr}' },
  { name: 'admin-board', method: 'PUT', path: '/api/admin/board' },
  { name: 'admin-audit', method: 'GET', path: '/api/admin/audit' },
  { name: 'admin-reports', method: 'GET', path: '/api/admin/reports' },
  { name: 'admin-report-resolve', method: 'POST', path: '/api/admin/reports/*', openapiPath: '/api/admin/reports/{reportId}/resolve' },
  { name: 'admin-roles-list', method: 'GET', path: '/api/admin/roles' },
  { name: 'admin-role-put', method: 'PUT', path: '/api/admin/roles/*', openapiPath: '/api/admin/roles/{userId}' },
  { name: 'admin-role-delete', method: 'DELETE', path: '/api/admin/roles/*', openapiPath: '/api/admin/roles/{userId}' },
];

export function pathMatches(pattern: string, path: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return path === pattern;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return path.startsWith(prefix) && path.endsWith(suffix) && path.length > prefix.length + suffix.length;
}

export type RouteMatch = { route: Route } | { status: 404 | 405 };

/**
 * The routes the writer service (bin/writer.ts) serves: in AWS the ALB sends them to the writer
 * tasks, not to their functions (infra/writer-service.ts); start:cluster's runner forwards them
 * to its writer processes (local/writer-forward.ts).
 */
export const WRITER_ROUTES: ReadonlySet<string> = new Set(['write-pixel']);

export function matchRoute(method: string, path: string): RouteMatch {
  const onPath = ROUTES.filter((r) => pathMatches(r.path, path));
  const m = method === 'HEAD' ? 'GET' : method;
  const route = onPath.find((r) => r.method === m);
  if (route) return { route };
  return { status: onPath.length > 0 ? 405 : 404 };
}
