// Reading ALB target events: headers (lower-cased), query, body and the client's address.
// Anything a client controls is read defensively: a value that cannot be decoded is a
// BadRequestError (400), never an exception that becomes a 500.
import type { ALBEvent } from 'aws-lambda';
import { clientAddress, type ClientAddressRule } from '../../core/domain/client-ip.ts';
import { BadRequestError } from '../../core/errors.ts';
import { cookieValue } from './cookies.ts';

export function header(event: ALBEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const direct = headers[name];
  if (typeof direct === 'string') return direct;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  return undefined;
}

/** A query parameter, URL-decoded (ALB passes values as the client sent them). */
export function query(event: ALBEvent, name: string): string | undefined {
  const raw = event.queryStringParameters?.[name];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(String(raw).replace(/\+/g, ' '));
  } catch (err) {
    throw new BadRequestError('invalid_query', `The query parameter "${name}" is not validly %-encoded.`, { cause: err });
  }
}

export function bodyBytes(event: ALBEvent): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/** The address per-address caps are keyed on (core/domain/client-ip.ts: the same rule as the socket servers). */
export function requestIp(event: ALBEvent, rule: ClientAddressRule): string {
  return clientAddress({ forwardedFor: header(event, 'x-forwarded-for'), viewerAddress: header(event, 'cloudfront-viewer-address') }, rule);
}

/**
 * Whether the viewer used HTTPS. Behind CloudFront the ALB's X-Forwarded-Proto describes the
 * CloudFront→ALB hop (CloudFront drops the viewer's), so there CloudFront-Forwarded-Proto says it;
 * that header is believed only in 'cloudfront' mode, where nothing else can reach the origin.
 */
export function viewerUsedHttps(event: ALBEvent, rule: ClientAddressRule): boolean {
  const proto = rule.source === 'cloudfront' ? header(event, 'cloudfront-forwarded-proto') : header(event, 'x-forwarded-proto');
  return proto?.trim().toLowerCase() === 'https';
}

export function acceptsGzip(event: ALBEvent): boolean {
  return /\bgzip\b/.test(header(event, 'accept-encoding') ?? '');
}

export function cookie(event: ALBEvent, name: string): string | undefined {
  return cookieValue(header(event, 'cookie'), name);
}
