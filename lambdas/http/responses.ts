// ALB target responses. Binary bodies are base64-encoded with isBase64Encoded, as ALB expects.
// Every response carries the API's security headers (CloudFront's response headers policy sets
// the same at the edge).
import type { ALBResult } from 'aws-lambda';
import { retryAfterSeconds } from '../../core/domain/cooldown.ts';

export type Headers = Record<string, string>;

/** No API response is a page: nothing may run, frame or sniff it. */
export const API_SECURITY_HEADERS: Readonly<Headers> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
});

export function json(status: number, body: unknown, headers: Headers = {}): ALBResult {
  return {
    statusCode: status,
    statusDescription: `${status}`,
    headers: { ...API_SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/** Every error: a machine-readable code and a sentence for people. */
export function errorResponse(
  status: number, error: string, message: string, headers: Headers = {}, extra: Record<string, unknown> = {},
): ALBResult {
  return json(status, { error, message, ...extra }, headers);
}

export function binary(status: number, bytes: Uint8Array, headers: Headers): ALBResult {
  return binaryBase64(status, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), headers);
}

/** A binary body already base64-encoded (cached encodings skip the work per request). */
export function binaryBase64(status: number, body: string, headers: Headers): ALBResult {
  return { statusCode: status, statusDescription: `${status}`, headers: { ...API_SECURITY_HEADERS, ...headers }, body, isBase64Encoded: true };
}

export function empty(status: number, headers: Headers): ALBResult {
  return { statusCode: status, statusDescription: `${status}`, headers: { ...API_SECURITY_HEADERS, ...headers }, body: '', isBase64Encoded: false };
}

/** 429 for an address past READS_PER_IP_PER_MINUTE uncached update reads. */
export function tooManyReads(retryAfterMs: number): ALBResult {
  return errorResponse(429, 'rate_limited', 'Too many update requests from your address. Wait a little.',
    { 'retry-after': String(retryAfterSeconds(retryAfterMs)) }, { retryAfterMs });
}
