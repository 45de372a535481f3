// The caller's session, from "Authorization: Bearer <token>" or the place_session cookie.
import type { ALBEvent } from 'aws-lambda';
import { verifySession, type Session } from '../../core/domain/session-token.ts';
import { cookie, header } from './request.ts';

export const SESSION_COOKIE = 'place_session';

export function sessionToken(event: ALBEvent): string | undefined {
  const auth = header(event, 'authorization');
  const bearer = auth?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer ?? cookie(event, SESSION_COOKIE);
}

export function requestSession(event: ALBEvent, secret: string, maxAgeMs: number, now = Date.now()): Session | null {
  const token = sessionToken(event);
  return token ? verifySession(secret, token, now, maxAgeMs) : null;
}

export function sessionCookie(token: string, maxAgeMs: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure ? '; Secure' : ''}`;
}
