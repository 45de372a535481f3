// The socket server's plain HTTP side: /healthz (Redis answers) and /metrics (Prometheus text).
// Everything else is 404; WebSocket upgrades go to the SocketServer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Lifecycle } from '../core/board-store/board-store.ts';
import { parseRequestTarget } from '../core/http/request-target.ts';
import { reportFailure } from '../core/observability/telemetry.ts';

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify(body));
}

export function socketHttpEndpoints(deps: { store: Pick<Lifecycle, 'ping'>; registry: Registry; connections: () => number }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = parseRequestTarget(req.url)?.path;
    if (path === '/metrics') {
      deps.registry.metrics().then(
        (text) => { res.writeHead(200, { 'content-type': deps.registry.contentType }); res.end(text); },
        (err: unknown) => { reportFailure('metrics', err); json(res, 500, { error: 'internal', message: 'Metrics could not be collected.' }); },
      );
      return;
    }
    if (path === '/healthz') {
      deps.store.ping().then(
        () => json(res, 200, { status: 'ok', connections: deps.connections() }),
        () => json(res, 503, { error: 'unavailable', message: 'Redis does not answer.' }),
      );
      return;
    }
    json(res, 404, { error: 'not_found', message: 'The socket server serves /ws, /healthz and /metrics.' });
  };
}
