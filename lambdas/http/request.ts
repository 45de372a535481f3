// Reading ALB target events: headers (lower-cased), query, body and the client's address.
import type { ALBEvent } from 'aws-lambda';
import { clientIp } from '../../core/domain/client-ip.ts';
import { cookieValue } from './cookies.ts';

export function header(event: ALBEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export function query(event: ALBEvent, name: string): string | undefined {
  const raw = event.queryStringParameters?.[name];
  return raw === undefined ? undefined : decodeURIComponent(raw.replace(/\+/g, ' '));
}

export function bodyBytes(event: ALBEvent): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

export function requestIp(event: ALBEvent, trustedProxyHops: number): string {
  return clientIp(header(event, 'x-forwarded-for'), trustedProxyHops);
}

export function acceptsGzip(event: ALBEvent): boolean {
  return /\bgzip\b/.test(header(event, 'accept-encoding') ?? '');
}

export function cookie(event: ALBEvent, name: string): string | undefined {
  return cookieValue(header(event, 'cookie'), name);
}
