// Turns Node HTTP requests into ALB target events for the handlers and their results back into
// responses, as the ALB does in AWS (lower-cased headers, URL-encoded query values, base64
// bodies, X-Forwarded-For with the connecting address appended). The local runner serves every
// handler this way; the writer service (bin/writer.ts) serves write-pixel this way on ECS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import type { RequestTarget } from '../../core/http/request-target.ts';
import { matchRoute } from '../routes.ts';
import type { AlbHandler } from './handler.ts';
import { errorResponse } from './responses.ts';

/** The ALB's own limit on a Lambda request body. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

export class RequestTooLargeError extends Error {}

/** With a 413: the connection closes after it, rather than reading the rest of an oversized body. */
export const CLOSE = { connection: 'close' };

export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // The rest is read and dropped, not cut: a destroyed socket would never carry the 413.
        req.off('data', onData);
        req.resume();
        reject(new RequestTooLargeError(`request body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export function albEvent(req: IncomingMessage, target: RequestTarget, body: Buffer): ALBEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const remote = req.socket.remoteAddress ?? 'unknown';
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${remote}` : remote;
  headers['x-forwarded-proto'] = 'http';
  const queryStringParameters: Record<string, string> = {};
  for (const part of target.rawQuery.split('&').filter(Boolean)) {
    const at = part.indexOf('=');
    queryStringParameters[at < 0 ? part : part.slice(0, at)] = at < 0 ? '' : part.slice(at + 1);
  }
  return {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:local:000000000000:targetgroup/local/0' } },
    httpMethod: req.method ?? 'GET',
    path: target.path,
    queryStringParameters,
    headers,
    body: body.length ? body.toString('base64') : '',
    isBase64Encoded: body.length > 0,
  };
}

export function sendAlbResult(res: ServerResponse, result: ALBResult, headOnly = false): void {
  const headers: Record<string, string | string[]> = { ...(result.headers ?? {}) } as Record<string, string>;
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
  const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  res.writeHead(result.statusCode, { ...headers, 'content-length': String(body.length) });
  res.end(headOnly ? undefined : body);
}

/**
 * Answers one API request with the handler its route names, as the ALB would route it: 404 for a
 * path no route (or no handler given here) serves, 405 for a method the path does not take, 413
 * for a body over the ALB's limit.
 */
export async function serveApi(
  req: IncomingMessage, res: ServerResponse, target: RequestTarget, handlers: Readonly<Record<string, AlbHandler>>,
): Promise<void> {
  const { path } = target;
  const match = matchRoute(req.method ?? 'GET', path);
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  const headOnly = req.method === 'HEAD';
  if ('status' in match && match.status === 405) {
    return sendAlbResult(res, errorResponse(405, 'method_not_allowed', `${req.method} is not allowed on ${shown}.`), headOnly);
  }
  const handler = 'status' in match ? undefined : handlers[match.route.name];
  if (!handler) return sendAlbResult(res, errorResponse(404, 'not_found', `Nothing is at ${shown}.`), headOnly);
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof RequestTooLargeError) return sendAlbResult(res, errorResponse(413, 'payload_too_large', 'The request body is too large.', CLOSE));
    throw err;
  }
  sendAlbResult(res, await handler(albEvent(req, target, body)), headOnly);
}
