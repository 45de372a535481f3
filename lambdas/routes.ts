// The HTTP functions and the requests each serves. The local runner routes by this table and
// the CDK app makes one Lambda and one ALB rule per entry, from lambdas/<name>.ts.
export interface Route {
  name: string;
  method: 'GET' | 'POST';
  /** ALB path pattern: exact, or ending in /* for a prefix. */
  path: string;
  /** The path in the OpenAPI document, where it differs (a template for a prefix pattern). */
  openapiPath?: string;
}

export const ROUTES: readonly Route[] = [
  { name: 'create-session', method: 'POST', path: '/api/session' },
  { name: 'get-config', method: 'GET', path: '/api/config' },
  { name: 'get-board', method: 'GET', path: '/api/board' },
  { name: 'get-board-png', method: 'GET', path: '/api/board.png' },
  { name: 'write-pixel', method: 'POST', path: '/api/pixels' },
  { name: 'get-updates', method: 'GET', path: '/api/pixels' },
  { name: 'get-pixel', method: 'GET', path: '/api/pixels/*', openapiPath: '/api/pixels/{x}/{y}' },
  { name: 'get-segment', method: 'GET', path: '/api/updates/*', openapiPath: '/api/updates/{epoch}/{segment}' },
  { name: 'get-me', method: 'GET', path: '/api/me' },
  { name: 'health', method: 'GET', path: '/healthz' },
];

export function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) && path.length > pattern.length - 1 : path === pattern;
}

export type RouteMatch = { route: Route } | { status: 404 | 405 };

export function matchRoute(method: string, path: string): RouteMatch {
  const onPath = ROUTES.filter((r) => pathMatches(r.path, path));
  const m = method === 'HEAD' ? 'GET' : method;
  const route = onPath.find((r) => r.method === m);
  if (route) return { route };
  return { status: onPath.length > 0 ? 405 : 404 };
}
