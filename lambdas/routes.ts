// The HTTP functions and the requests each serves. The local runner routes by this table and
// the CDK app makes one Lambda and one ALB rule per entry, from lambdas/<name>.ts.
export interface Route {
  name: string;
  method: 'GET' | 'POST';
  /** ALB path pattern: exact, or with one `*` (a prefix, or a prefix and a suffix as in /api/templates/*.png). */
  path: string;
  /** The path in the OpenAPI document, where it differs (a template for a prefix pattern). */
  openapiPath?: string;
}

export const ROUTES: readonly Route[] = [
  { name: 'create-session', method: 'POST', path: '/api/session' },
  { name: 'get-challenge', method: 'GET', path: '/api/challenge' },
  { name: 'auth-start', method: 'GET', path: '/api/auth/*/start', openapiPath: '/api/auth/{provider}/start' },
  { name: 'auth-callback', method: 'GET', path: '/api/auth/*/callback', openapiPath: '/api/auth/{provider}/callback' },
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
];

export function pathMatches(pattern: string, path: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return path === pattern;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return path.startsWith(prefix) && path.endsWith(suffix) && path.length > prefix.length + suffix.length;
}

export type RouteMatch = { route: Route } | { status: 404 | 405 };

export function matchRoute(method: string, path: string): RouteMatch {
  const onPath = ROUTES.filter((r) => pathMatches(r.path, path));
  const m = method === 'HEAD' ? 'GET' : method;
  const route = onPath.find((r) => r.method === m);
  if (route) return { route };
  return { status: onPath.length > 0 ? 405 : 404 };
}
