// Signed session tokens: "<userId>.<issuedAtMs>.<hmac>". Stateless, so every Lambda container
// and socket server can verify a session without a store round trip.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Session {
  userId: string;
  issuedAt: number;
}

const USER_ID = /^[A-Za-z0-9_-]{16}$/;

function signature(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function newUserId(): string {
  return randomBytes(12).toString('base64url');
}

export function signSession(secret: string, session: Session): string {
  const payload = `${session.userId}.${session.issuedAt}`;
  return `${payload}.${signature(secret, payload)}`;
}

/** The session a token carries, or null when it is malformed, forged, altered or expired. */
export function verifySession(secret: string, token: string, now: number, maxAgeMs: number): Session | null {
  if (token.length > 200) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [userId, issued, sig] = parts as [string, string, string];
  if (!USER_ID.test(userId) || !/^\d{1,15}$/.test(issued)) return null;
  const expected = Buffer.from(signature(secret, `${userId}.${issued}`));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const issuedAt = Number(issued);
  if (issuedAt > now + 60_000 || now - issuedAt > maxAgeMs) return null;
  return { userId, issuedAt };
}
