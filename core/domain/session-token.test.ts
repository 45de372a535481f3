import { describe, expect, it } from 'vitest';
import { accountUserId, newUserId, signSession, verifySession } from './session-token.ts';

const DAY = 86_400_000;

describe('session tokens', () => {
  const session = { userId: newUserId(), issuedAt: 1_700_000_000_000 };
  const token = signSession('secret', session);

  it('verifies a token it signed', () => {
    expect(verifySession('secret', token, session.issuedAt + 1000, DAY)).toEqual(session);
  });

  it('rejects a token signed with another secret', () => {
    expect(verifySession('other', token, session.issuedAt, DAY)).toBeNull();
  });

  it('rejects a token whose user id was altered', () => {
    const altered = `${newUserId()}${token.slice(16)}`;
    expect(verifySession('secret', altered, session.issuedAt, DAY)).toBeNull();
  });

  it('rejects garbage and expired tokens', () => {
    expect(verifySession('secret', 'nope', session.issuedAt, DAY)).toBeNull();
    expect(verifySession('secret', `${token}x`, session.issuedAt, DAY)).toBeNull();
    expect(verifySession('secret', token, session.issuedAt + 2 * DAY, DAY)).toBeNull();
  });
});

describe('signed-in session tokens', () => {
  const account = { provider: 'discord' as const, displayName: 'Ada', ineligible: 'not_in_guild' as const };

  it('carry the account, and one provider account always gets the same user id (a second browser shares the cooldown)', () => {
    const userId = accountUserId('secret', 'oidc', 'alice');
    expect(accountUserId('secret', 'oidc', 'alice')).toBe(userId);
    expect(accountUserId('secret', 'discord', 'alice')).not.toBe(userId);
    expect(accountUserId('secret', 'oidc', 'bob')).not.toBe(userId);
    const token = signSession('secret', { userId, issuedAt: 1_700_000_000_000, account });
    expect(verifySession('secret', token, 1_700_000_000_000, DAY)).toEqual({ userId, issuedAt: 1_700_000_000_000, account });
  });

  it('refuse an account part that was changed (say, to make an ineligible user eligible) or dropped', () => {
    const token = signSession('secret', { userId: newUserId(), issuedAt: 1_700_000_000_000, account });
    const [u, t, a, s] = token.split('.') as [string, string, string, string];
    const eligible = Buffer.from(JSON.stringify(['discord', 'Ada', null])).toString('base64url');
    expect(a).not.toBe(eligible);
    expect(verifySession('secret', `${u}.${t}.${eligible}.${s}`, 1_700_000_000_000, DAY)).toBeNull();
    expect(verifySession('secret', `${u}.${t}.${s}`, 1_700_000_000_000, DAY)).toBeNull();
  });
});
