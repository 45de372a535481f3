// What a browser sees at the end of a sign-in: back to the board, or a short page saying what
// went wrong (JSON for API clients that do not ask for HTML). The origin redirect URIs are built on.
import type { ALBEvent, ALBResult } from 'aws-lambda';
import type { ClientAddressRule } from '../../core/domain/client-ip.ts';
import { API_SECURITY_HEADERS, errorResponse, type Headers } from './responses.ts';
import { header, viewerUsedHttps } from './request.ts';

/** This service's origin as the browser sees it: PUBLIC_URL, else the request's own. */
export function requestOrigin(event: ALBEvent, publicUrl: string | null, rule: ClientAddressRule): string {
  if (publicUrl) return publicUrl;
  const host = header(event, 'host') ?? 'localhost';
  return `${viewerUsedHttps(event, rule) ? 'https' : 'http'}://${host}`;
}

export function redirect(location: string, headers: Headers = {}): ALBResult {
  return { statusCode: 302, statusDescription: '302 Found', headers: { ...API_SECURITY_HEADERS, location, 'cache-control': 'no-store', ...headers }, body: '', isBase64Encoded: false };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function signinError(event: ALBEvent, status: number, error: string, message: string, headers: Headers = {}): ALBResult {
  if (!/text\/html/.test(header(event, 'accept') ?? '')) return errorResponse(status, error, message, headers);
  const body = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">`
    + `<title>Sign-in failed</title><main data-error="${escape(error)}"><h1>Sign-in failed</h1><p id="reason">${escape(message)}</p>`
    + `<p>You have not been signed in. <a href="/">Back to the board</a></p></main></html>`;
  return { statusCode: status, statusDescription: String(status), headers: { ...API_SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers }, body, isBase64Encoded: false };
}
