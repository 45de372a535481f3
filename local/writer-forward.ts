// start:cluster's runner in the ALB's place for the writer service: the requests WRITER_ROUTES
// names (POST /api/pixels) go to the writer processes (WRITER_URLS) through a WriterPool, each in
// turn, as the ALB sends them to the writer tasks in AWS (infra/load-balancer.ts). As the ALB
// does, it appends the connecting address to X-Forwarded-For; a writer behind it trusts one more
// proxy hop than the runner does (writerAddressRule; bin/cluster.ts sets it). When no writer takes
// the request the client gets a 503; when the one that took it dies, a 502, and when it does not
// answer in time a 504 (as from the ALB). The page retries each with the same Idempotency-Key.
import type http from 'node:http';
import { matchRoute, WRITER_ROUTES } from '../lambdas/routes.ts';
import type { RequestTarget } from '../core/http/request-target.ts';
import type { ClientAddressRule } from '../core/domain/client-ip.ts';
import { WriterTimeoutError, WriterUnavailableError } from '../core/errors.ts';
import { WriterPool, type WriterPoolOptions } from '../core/http/writer-pool.ts';
import { reportFailure } from '../core/observability/telemetry.ts';
import { errorResponse } from '../lambdas/http/responses.ts';
import { CLOSE, MAX_REQUEST_BYTES, readBody, RequestTooLargeError, sendAlbResult } from '../lambdas/http/alb-gateway.ts';

/** Headers that belong to one hop, not the message (RFC 9110 §7.6.1), and the length, which is set anew. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length']);
const RETRY = { 'retry-after': '1' };

/** A message's headers without the hop-by-hop ones, including those its Connection header names. */
function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = new Set(String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim()).filter(Boolean));
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_HEADERS.has(name) && !named.has(name)) out[name] = value;
  return out;
}

export class WriterForwarder {
  private readonly pool: WriterPool;

  constructor(urls: readonly string[], options?: WriterPoolOptions) {
    this.pool = new WriterPool(urls, options);
  }

  /** Whether the request is one the writers serve. */
  handles(req: http.IncomingMessage, target: RequestTarget): boolean {
    const match = matchRoute(req.method ?? 'GET', target.path);
    return 'route' in match && WRITER_ROUTES.has(match.route.name);
  }

  async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      if (err instanceof RequestTooLargeError) return sendAlbResult(res, errorResponse(413, 'payload_too_large', `The request body is over ${MAX_REQUEST_BYTES} bytes.`, CLOSE));
      throw err;
    }
    // Host passes as the client sent it, as the ALB does.
    const headers = endToEnd(req.headers);
    const remote = req.socket.remoteAddress ?? 'unknown';
    const forwarded = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = forwarded ? `${String(forwarded)}, ${remote}` : remote;
    let answer: http.IncomingMessage;
    try {
      answer = await this.pool.request(req.method ?? 'POST', req.url ?? '/', headers, body);
    } catch (err) {
      reportFailure('writer-forward', err);
      return sendAlbResult(res, err instanceof WriterUnavailableError
        ? errorResponse(503, 'unavailable', 'The service is briefly unavailable. Please try again in a moment.', RETRY)
        : err instanceof WriterTimeoutError
          ? errorResponse(504, 'gateway_timeout', 'The server handling the request did not answer in time. Please try again.', RETRY)
          : errorResponse(502, 'bad_gateway', 'The server handling the request stopped before answering. Please try again.', RETRY));
    }
    res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
    answer.pipe(res);
    // Cut mid-answer: the client sees its connection dropped, and retries.
    answer.once('error', (err) => { reportFailure('writer-forward', err); res.destroy(); });
  }

  close(): void {
    this.pool.close();
  }
}

/**
 * A writer's address settings behind a runner with `rule`: the runner appends the address that
 * connects to it to X-Forwarded-For, so the writer trusts one hop more (with the runner's
 * `socket`, that entry is the one the runner would have used). CloudFront's header passes as is.
 */
export function writerAddressRule(rule: ClientAddressRule): { CLIENT_ADDRESS_SOURCE: string; TRUSTED_PROXY_HOPS: string } {
  // With `cloudfront`, a request without CloudFront-Viewer-Address (none comes locally) is counted
  // at the address that connects: at a writer, the runner's or a socket server's loopback (so all
  // local clients share one per-address cap there); at the runner, the client's. In AWS
  // CloudFront adds the header, and the runner and socket servers pass it on.
  if (rule.source === 'cloudfront') return { CLIENT_ADDRESS_SOURCE: 'cloudfront', TRUSTED_PROXY_HOPS: String(rule.trustedProxyHops) };
  return { CLIENT_ADDRESS_SOURCE: 'x-forwarded-for', TRUSTED_PROXY_HOPS: String((rule.source === 'socket' ? 0 : rule.trustedProxyHops) + 1) };
}
