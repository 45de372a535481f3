// start:cluster's runner in the ALB's place for the writer service: the requests WRITER_ROUTES
// names (POST /api/pixels) go to the writer processes (WRITER_URLS), each in turn, as the ALB
// sends them to the writer tasks in AWS (infra/load-balancer.ts). As the ALB does, it appends the
// connecting address to X-Forwarded-For; a writer behind it trusts one more proxy hop than the
// runner does (bin/cluster.ts sets that). A writer that refuses the connection (stopped, or
// killed and not yet back: the ALB would have taken it out of service) is skipped for the next;
// when none answers, the client gets a 503 it retries with the same Idempotency-Key.
import http from 'node:http';
import { matchRoute, WRITER_ROUTES } from '../lambdas/routes.ts';
import type { RequestTarget } from '../core/http/request-target.ts';
import type { ClientAddressRule } from '../core/domain/client-ip.ts';
import { reportFailure } from '../core/observability/telemetry.ts';
import { errorResponse } from '../lambdas/http/responses.ts';
import { MAX_REQUEST_BYTES, readBody, RequestTooLargeError, sendAlbResult } from '../lambdas/http/alb-gateway.ts';

/** Headers that belong to one hop, not the request (RFC 9110 §7.6.1). */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length']);
/** How long a writer may take to answer before the client gets a 503 (the ALB's idle timeout is longer; a write takes milliseconds). */
const WRITER_TIMEOUT_MS = 10_000;

export class WriterForwarder {
  private next = 0;
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(private readonly urls: readonly URL[]) {}

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
      if (err instanceof RequestTooLargeError) return sendAlbResult(res, errorResponse(413, 'payload_too_large', `The request body is over ${MAX_REQUEST_BYTES} bytes.`));
      throw err;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = value;
    const remote = req.socket.remoteAddress ?? 'unknown';
    const forwarded = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = forwarded ? `${String(forwarded)}, ${remote}` : remote;
    headers['content-length'] = String(body.length);
    // Each writer once, from the next in turn (other requests move `next` meanwhile).
    const first = this.next++;
    for (let tries = 0; tries < this.urls.length; tries++) {
      const url = this.urls[(first + tries) % this.urls.length]!;
      const sent = await this.send(url, req, headers, body, res);
      if (sent) return;
    }
    reportFailure('writer-forward', new Error(`no writer answered (${this.urls.map(String).join(', ')})`));
    sendAlbResult(res, { ...errorResponse(503, 'unavailable', 'The service is briefly unavailable. Please try again in a moment.'), headers: { 'retry-after': '1', 'content-type': 'application/json; charset=utf-8' } });
  }

  /** One try at one writer: false when it refused the connection (nothing was sent: the next may take it). */
  private send(url: URL, req: http.IncomingMessage, headers: http.OutgoingHttpHeaders, body: Buffer, res: http.ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const upstream = http.request({
        host: url.hostname, port: url.port, path: req.url, method: req.method, headers, agent: this.agent, timeout: WRITER_TIMEOUT_MS,
      }, (answer) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) out[name] = value;
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
        answer.once('end', () => resolve(true));
        answer.once('error', () => { res.destroy(); resolve(true); });
      });
      upstream.once('timeout', () => upstream.destroy(new Error(`writer ${url.host} did not answer within ${WRITER_TIMEOUT_MS} ms`)));
      upstream.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNREFUSED') return resolve(false);
        // Sent, but no answer (the writer died mid-request): whether it placed the pixel is unknown, so no other writer
        // may try it; the client retries with its Idempotency-Key and learns.
        reportFailure('writer-forward', err);
        if (!res.headersSent) {
          sendAlbResult(res, { ...errorResponse(502, 'bad_gateway', 'The server handling the request stopped before answering. Please try again.'), headers: { 'retry-after': '1', 'content-type': 'application/json; charset=utf-8' } });
        } else res.destroy();
        resolve(true);
      });
      upstream.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * A writer's address settings behind a runner with `rule`: the runner appends the address that
 * connects to it to X-Forwarded-For, so the writer trusts one hop more (with the runner's
 * `socket`, that entry is the one the runner would have used). CloudFront's header passes as is.
 */
export function writerAddressRule(rule: ClientAddressRule): { CLIENT_ADDRESS_SOURCE: string; TRUSTED_PROXY_HOPS: string } {
  if (rule.source === 'cloudfront') return { CLIENT_ADDRESS_SOURCE: 'cloudfront', TRUSTED_PROXY_HOPS: String(rule.trustedProxyHops) };
  return { CLIENT_ADDRESS_SOURCE: 'x-forwarded-for', TRUSTED_PROXY_HOPS: String((rule.source === 'socket' ? 0 : rule.trustedProxyHops) + 1) };
}
