// The caller's session, from "Authorization: Bearer <token>" or the place_session cookie.
import type { ALBEvent } from 'aws-lambda';
import { verifySession, type Session } from '../../core/domain/session-token.ts';
import type { SessionGate } from '../../core/board-store/board-store.ts';
import { cookie, header } from './request.ts';

export { SESSION_COOKIE } from '../../core/protocol/messages.ts';
import { SESSION_COOKIE } from '../../core/protocol/messages.ts';

export function sessionToken(event: ALBEvent): string | undefined {
  const auth = header(event, 'authorization');
  const bearer = auth?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer ?? cookie(event, SESSION_COOKIE);
}

/** The session a valid signature vouches for; revocations are not checked (the write script does that atomically). */
export function requestSession(event: ALBEvent, secret: string, maxAgeMs: number, now = Date.now()): Session | null {
  const token = sessionToken(event);
  return token ? verifySession(secret, token, now, maxAgeMs) : null;
}

/** The session, unless it is forged, expired or revoked. */
export async function liveSession(
  event: ALBEvent, s: { sessionSecret: string; config: { sessionMaxAgeMs: number }; store: Pick<SessionGate, 'sessionsRevokedAt'> }, now = Date.now(),
): Promise<Session | null> {
  const session = requestSession(event, s.sessionSecret, s.config.sessionMaxAgeMs, now);
  if (!session) return null;
  const revokedAt = await s.store.sessionsRevokedAt(session.userId);
  return revokedAt !== null && session.issuedAt <= revokedAt ? null : session;
}

export function sessionCookie(token: string, maxAgeMs: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure ? '; Secure' : ''}`;
}
