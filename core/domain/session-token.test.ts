import { describe, expect, it } from 'vitest';
import { newUserId, signSession, verifySession } from './session-token.ts';

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
