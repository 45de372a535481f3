// Builds an ALB target event by hand: for callers that invoke a handler through the Lambda
// API rather than through the ALB (the socket server placing pixels, tests).
import type { ALBEvent } from 'aws-lambda';

export interface AlbEventInit {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  query?: Record<string, string>;
}

export function albEventOf(init: AlbEventInit): ALBEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:internal:000000000000:targetgroup/invoke/0' } },
    httpMethod: init.method,
    path: init.path,
    queryStringParameters: Object.fromEntries(Object.entries(init.query ?? {}).map(([k, v]) => [k, encodeURIComponent(v)])),
    headers,
    body: init.body ?? '',
    isBase64Encoded: false,
  };
}
