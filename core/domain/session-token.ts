// Signed session tokens: "<userId>.<issuedAtMs>.<hmac>" for an anonymous session, and
// "<userId>.<issuedAtMs>.<account>.<hmac>" for a signed-in one, where <account> is base64url
// JSON of who signed in and whether they may place (decided at sign-in, so it is checked without
// a store round trip). Stateless, so every Lambda container and socket server can verify a
// session on its own.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const PROVIDERS = ['oidc', 'discord'] as const;
export type Provider = (typeof PROVIDERS)[number];

import { INELIGIBLE_REASONS, type IneligibleReason } from './ineligible.ts';

export type { IneligibleReason } from './ineligible.ts';

export interface Account {
  provider: Provider;
  displayName: string;
  /** Null: may place. */
  ineligible: IneligibleReason | null;
}

export interface Session {
  userId: string;
  issuedAt: number;
  /** Present for a signed-in session. */
  account?: Account;
}

const USER_ID = /^[A-Za-z0-9_-]{16}$/;
const MAX_TOKEN = 700;

function signature(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function newUserId(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * The user id of a provider account: the same every time that account signs in, in any browser
 * (so every session of it shares one cooldown), and not the provider's id itself (which the
 * board shows next to pixels).
 */
export function accountUserId(secret: string, provider: Provider, subject: string): string {
  return createHmac('sha256', secret).update(`account:${provider}:${subject}`).digest().subarray(0, 12).toString('base64url');
}

export function signSession(secret: string, session: Session): string {
  const account = session.account
    ? `.${Buffer.from(JSON.stringify([session.account.provider, session.account.displayName.slice(0, 64), session.account.ineligible])).toString('base64url')}`
    : '';
  const payload = `${session.userId}.${session.issuedAt}${account}`;
  return `${payload}.${signature(secret, payload)}`;
}

function readAccount(part: string): Account | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [provider, displayName, ineligible] = value as unknown[];
    if (!PROVIDERS.includes(provider as Provider) || typeof displayName !== 'string') return null;
    if (ineligible !== null && !INELIGIBLE_REASONS.includes(ineligible as IneligibleReason)) return null;
    return { provider: provider as Provider, displayName, ineligible: ineligible as IneligibleReason | null };
  } catch {
    return null;
  }
}

/** The session a token carries, or null when it is malformed, forged, altered or expired. */
export function verifySession(secret: string, token: string, now: number, maxAgeMs: number): Session | null {
  if (token.length > MAX_TOKEN) return null;
  const parts = token.split('.');
  if (parts.length !== 3 && parts.length !== 4) return null;
  const [userId, issued] = parts as [string, string];
  const sig = parts[parts.length - 1]!;
  if (!USER_ID.test(userId) || !/^\d{1,15}$/.test(issued)) return null;
  const expected = Buffer.from(signature(secret, parts.slice(0, -1).join('.')));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const issuedAt = Number(issued);
  if (issuedAt > now + 60_000 || now - issuedAt > maxAgeMs) return null;
  if (parts.length === 3) return { userId, issuedAt };
  const account = readAccount(parts[2]!);
  return account ? { userId, issuedAt, account } : null;
}
