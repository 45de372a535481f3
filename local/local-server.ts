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
import { errorResponse } from '../lambdas/http/responses.ts';
import { provideServices } from '../lambdas/runtime.ts';
import { sendAlbResult, serveApi } from '../lambdas/http/alb-gateway.ts';
import { servePublished } from './published-boards.ts';
import type { WriterForwarder } from './writer-forward.ts';

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
  /** Writer processes that take POST /api/pixels instead of this server (WRITER_URLS, start:cluster). */
  writers?: WriterForwarder | null;
}

export async function startLocalServer(services: Services, options: LocalServerOptions): Promise<LocalServer> {
  provideServices(services);
  const server = http.createServer((req, res) => {
    route(req, res, options, nodePath.join(services.config.dataDir, 'published')).catch((err: unknown) => {
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

async function route(req: http.IncomingMessage, res: http.ServerResponse, { fallback, writers }: LocalServerOptions, published: string): Promise<void> {
  const target = parseRequestTarget(req.url);
  if (!target) return sendAlbResult(res, errorResponse(400, 'invalid_request', 'The request target is not a valid path.'));
  const { path } = target;
  // Published boards (CloudFront serves these from S3 in AWS).
  if (path.startsWith('/boards/') && (req.method === 'GET' || req.method === 'HEAD')) return servePublished(req, res, path, published);
  const isApi = path.startsWith('/api/') || path === '/healthz';
  if (!isApi && fallback && (await fallback(req, res, target))) return;
  if (writers?.handles(req, target)) return writers.forward(req, res);
  return serveApi(req, res, target, HANDLERS);
}
