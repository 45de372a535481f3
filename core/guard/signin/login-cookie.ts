// The pending login between /api/auth/{provider}/start and its callback: state, nonce and PKCE
// verifier sealed (AES-256-GCM, a key derived from the session secret) into a short-lived
// HttpOnly cookie, so no store is needed and the verifier never shows in the browser.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Provider } from '../../domain/session-token.ts';

export const LOGIN_COOKIE = 'place_login';
export const LOGIN_TTL_MS = 10 * 60_000;

export interface PendingLogin {
  provider: Provider;
  state: string;
  nonce: string;
  verifier: string;
  expiresAt: number;
}

const keyOf = (secret: string) => createHash('sha256').update(`login-cookie:${secret}`).digest();

export function sealLogin(secret: string, login: PendingLogin): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(login), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The pending login, or null when the cookie is missing, altered or expired. */
export function openLogin(secret: string, sealed: string | undefined, now: number): PendingLogin | null {
  if (!sealed || sealed.length > 2000) return null;
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const login = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as PendingLogin;
    return login.expiresAt > now ? login : null;
  } catch {
    return null;
  }
}

export function loginCookie(value: string, secure: boolean): string {
  return `${LOGIN_COOKIE}=${value}; HttpOnly; SameSite=Lax; Path=/api/auth; Max-Age=${LOGIN_TTL_MS / 1000}${secure ? '; Secure' : ''}`;
}

export function clearLoginCookie(secure: boolean): string {
  return `${LOGIN_COOKIE}=; HttpOnly; SameSite=Lax; Path=/api/auth; Max-Age=0${secure ? '; Secure' : ''}`;
}
