// The whole service on one port: HTTP functions (as ALB events), the web page, and (attached
// by the caller) the socket server at /ws. The Lambda Invoke API is not here: it has its own
// loopback listener (lambda-invoke-api.ts).
import http from 'node:http';
import nodePath from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Services } from '../core/service/services.ts';
import { parseRequestTarget, type RequestTarget } from '../core/http/request-target.ts';
import { reportFailure } from '../core/observability/telemetry.ts';
import { hardenHttpServer } from '../core/http/harden-server.ts';
import { HANDLERS } from '../lambdas/handlers.ts';
import { matchRoute } from '../lambdas/routes.ts';
import { errorResponse } from '../lambdas/http/responses.ts';
import { provideServices } from '../lambdas/runtime.ts';
import { albEvent, readBody, RequestTooLargeError, sendAlbResult } from './alb-gateway.ts';
import { servePublished } from './published-boards.ts';

export interface LocalServer {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  close(): Promise<void>;
}

export type RequestHook = (req: http.IncomingMessage, res: http.ServerResponse, target: RequestTarget) => Promise<boolean> | boolean;

export interface LocalServerOptions {
  host: string;
  port: number;
  /** Serves what the API does not (the web page); returns false when it has nothing. */
  fallback?: RequestHook;
}

export async function startLocalServer(services: Services, options: LocalServerOptions): Promise<LocalServer> {
  provideServices(services);
  const server = http.createServer((req, res) => {
    route(req, res, options.fallback, nodePath.join(services.config.dataDir, 'published')).catch((err: unknown) => {
      reportFailure('local-request', err);
      if (!res.headersSent) sendAlbResult(res, errorResponse(500, 'internal', 'Something went wrong on our side.'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  hardenHttpServer(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, services.config.socket.listenBacklog, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    port,
    server,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function route(req: http.IncomingMessage, res: http.ServerResponse, fallback: RequestHook | undefined, published: string): Promise<void> {
  const target = parseRequestTarget(req.url);
  if (!target) return sendAlbResult(res, errorResponse(400, 'invalid_request', 'The request target is not a valid path.'));
  const { path } = target;
  // Published boards (CloudFront serves these from S3 in AWS).
  if (path.startsWith('/boards/') && (req.method === 'GET' || req.method === 'HEAD')) return servePublished(req, res, path, published);
  const isApi = path.startsWith('/api/') || path === '/healthz';
  if (!isApi && fallback && (await fallback(req, res, target))) return;
  const match = matchRoute(req.method ?? 'GET', path);
  if ('status' in match) {
    const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    const result = match.status === 404
      ? errorResponse(404, 'not_found', `Nothing is at ${shown}.`)
      : errorResponse(405, 'method_not_allowed', `${req.method} is not allowed on ${shown}.`);
    return sendAlbResult(res, result, req.method === 'HEAD');
  }
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof RequestTooLargeError) return sendAlbResult(res, errorResponse(413, 'payload_too_large', 'The request body is too large.'));
    throw err;
  }
  const result = await HANDLERS[match.route.name]!(albEvent(req, target, body));
  sendAlbResult(res, result, req.method === 'HEAD');
}
