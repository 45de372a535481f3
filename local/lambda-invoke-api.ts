// The Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations), so that
// @aws-sdk/client-lambda pointed at the local runner calls the same handlers as in AWS. It is
// served on its own listener bound to 127.0.0.1 (LAMBDA_INVOKE_PORT), never on the port that
// serves the page: a caller of this API writes the whole ALB event, client address included,
// so it is only for the local socket servers (as Lambda's IAM-guarded API is in AWS).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ALBEvent } from 'aws-lambda';
import type { AlbHandler } from '../lambdas/http/handler.ts';
import { parseRequestTarget } from '../core/http/request-target.ts';
import { reportFailure } from '../core/observability/telemetry.ts';
import { hardenHttpServer } from '../core/http/harden-server.ts';
import { readBody, RequestTooLargeError } from '../lambdas/http/alb-gateway.ts';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const MAX_PAYLOAD = 6 * 1024 * 1024;

function awsError(res: http.ServerResponse, status: number, type: string, message: string): void {
  // After a 413 the rest of the body is not read: the connection closes.
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type, ...(status === 413 ? { connection: 'close' } : {}) });
  res.end(JSON.stringify({ Type: 'User', Message: message }));
}

function functionName(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export async function handleInvoke(
  req: http.IncomingMessage, res: http.ServerResponse, handlers: Readonly<Record<string, AlbHandler>>,
): Promise<void> {
  const target = parseRequestTarget(req.url);
  const match = target?.path.match(INVOKE_PATH);
  if (req.method !== 'POST' || !match) return awsError(res, 404, 'UnknownOperationException', 'Only Invoke is served here.');
  const name = functionName(match[1]!);
  if (name === null) return awsError(res, 400, 'InvalidParameterValueException', 'The function name is not validly %-encoded.');
  // Accept a bare name or a function ARN whose last part is the name (or is a qualifier).
  const parts = name.split(':');
  const handler = [name, parts.at(-1), parts.at(-2)].filter((n): n is string => n !== undefined && Object.hasOwn(handlers, n))
    .map((n) => handlers[n]!)[0];
  if (!handler) return awsError(res, 404, 'ResourceNotFoundException', `Function not found: ${name.slice(0, 200)}`);
  if ((req.headers['x-amz-invocation-type'] ?? 'RequestResponse') !== 'RequestResponse') {
    return awsError(res, 400, 'InvalidParameterValueException', 'Only RequestResponse invocations are supported locally.');
  }
  let event: ALBEvent;
  try {
    event = JSON.parse((await readBody(req, MAX_PAYLOAD)).toString('utf8')) as ALBEvent;
  } catch (err) {
    if (err instanceof RequestTooLargeError) return awsError(res, 413, 'RequestTooLargeException', 'Request payload too large.');
    return awsError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
  }
  const result = await handler(event);
  res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
  res.end(JSON.stringify(result));
}

export interface InvokeServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the Invoke API on 127.0.0.1 only. */
export async function startInvokeServer(port: number, handlers: Readonly<Record<string, AlbHandler>>): Promise<InvokeServer> {
  const server = http.createServer((req, res) => {
    handleInvoke(req, res, handlers).catch((err: unknown) => {
      reportFailure('invoke-api', err);
      if (!res.headersSent) awsError(res, 500, 'ServiceException', 'The function failed.');
      else res.destroy();
    });
  });
  hardenHttpServer(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
