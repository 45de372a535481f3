// The whole service on one port: HTTP functions (as ALB events), the Lambda Invoke API, the
// web page, and the socket server at /ws.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Services } from '../core/service/services.ts';
import { HANDLERS } from '../lambdas/handlers.ts';
import { matchRoute } from '../lambdas/routes.ts';
import { errorResponse } from '../lambdas/http/responses.ts';
import { provideServices } from '../lambdas/runtime.ts';
import { albEvent, readBody, RequestTooLargeError, sendAlbResult } from './alb-gateway.ts';
import { handleInvoke, isInvokeRequest } from './lambda-invoke-api.ts';

export interface LocalServer {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  close(): Promise<void>;
}

export type RequestHook = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean> | boolean;

export interface LocalServerOptions {
  host: string;
  port: number;
  /** Serves what the API does not (the web page); returns false when it has nothing. */
  fallback?: RequestHook;
}

export async function startLocalServer(services: Services, options: LocalServerOptions): Promise<LocalServer> {
  provideServices(services);
  const server = http.createServer((req, res) => {
    route(req, res, options.fallback).catch((err: unknown) => {
      console.error('request failed', err);
      if (!res.headersSent) sendAlbResult(res, errorResponse(500, 'internal', 'Something went wrong on our side.'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
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

async function route(req: http.IncomingMessage, res: http.ServerResponse, fallback?: RequestHook): Promise<void> {
  if (isInvokeRequest(req)) return handleInvoke(req, res, HANDLERS);
  const path = new URL(req.url ?? '/', 'http://local').pathname;
  const isApi = path.startsWith('/api/') || path === '/healthz';
  if (!isApi && fallback && (await fallback(req, res))) return;
  const match = matchRoute(req.method ?? 'GET', path);
  if ('status' in match) {
    const result = match.status === 404
      ? errorResponse(404, 'not_found', `Nothing is at ${path}.`)
      : errorResponse(405, 'method_not_allowed', `${req.method} is not allowed on ${path}.`);
    return sendAlbResult(res, result);
  }
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof RequestTooLargeError) return sendAlbResult(res, errorResponse(413, 'payload_too_large', 'The request body is too large.'));
    throw err;
  }
  const result = await HANDLERS[match.route.name]!(albEvent(req, body));
  sendAlbResult(res, result, req.method === 'HEAD');
}
