// The Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations), so that
// @aws-sdk/client-lambda pointed at the local runner calls the same handlers as in AWS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ALBEvent } from 'aws-lambda';
import type { AlbHandler } from '../lambdas/http/handler.ts';
import { readBody } from './alb-gateway.ts';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export function isInvokeRequest(req: IncomingMessage): boolean {
  return req.method === 'POST' && INVOKE_PATH.test(new URL(req.url ?? '/', 'http://local').pathname);
}

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ Type: 'User', Message: message }));
}

export async function handleInvoke(
  req: IncomingMessage, res: ServerResponse, handlers: Readonly<Record<string, AlbHandler>>,
): Promise<void> {
  const name = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname.match(INVOKE_PATH)?.[1] ?? '');
  // Accept a bare name or a function ARN whose last part is the name.
  const handler = handlers[name.split(':').pop() ?? name] ?? handlers[name.split(':').at(-2) ?? ''];
  if (!handler) return awsError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
  if ((req.headers['x-amz-invocation-type'] ?? 'RequestResponse') !== 'RequestResponse') {
    return awsError(res, 400, 'InvalidParameterValueException', 'Only RequestResponse invocations are supported locally.');
  }
  let event: ALBEvent;
  try {
    event = JSON.parse((await readBody(req, 6 * 1024 * 1024)).toString('utf8')) as ALBEvent;
  } catch {
    return awsError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
  }
  const result = await handler(event);
  res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
  res.end(JSON.stringify(result));
}
