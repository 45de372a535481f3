// The page's session, which only placing needs: viewing works without one. A returning visitor's
// session (a flag in localStorage says one exists; the HttpOnly cookie holds it) is read at start
// for their cooldown; a new visitor's is created on their first placement, so people who only
// watch never use up their network's share of sessions (SESSIONS_PER_IP_PER_HOUR).
import { askedChallenge, solve, type Challenge } from './challenge.ts';

export interface Me {
  userId: string;
  lastPlacedAt: number | null;
  nextAllowedAt: number;
  cooldownMs: number;
  /** How they signed in; null: an anonymous session. */
  provider: 'oidc' | 'discord' | null;
  displayName: string | null;
  eligible: boolean;
  ineligibleReason: string | null;
}

const FLAG = 'place:hasSession';

export class SessionError extends Error {
  override readonly name = 'SessionError';
}

export class Session {
  me: Me | null = null;
  /** Told when a challenge is being solved (it takes a moment). */
  onSolving: (() => void) | null = null;

  /** A sign-in just came back (the callback set the cookie; this browser did not see it happen). */
  signedIn(): void {
    localStorage.setItem(FLAG, '1');
  }

  private solving(challenge: Challenge): Promise<string> {
    this.onSolving?.();
    return solve(challenge);
  }

  /** Signs out in this browser. */
  async signOut(): Promise<void> {
    await fetch('/api/auth/logout', { method: 'POST' });
    localStorage.removeItem(FLAG);
    this.me = null;
  }
  private restoring: Promise<Me | null> | null = null;
  private creating: Promise<Me> | null = null;

  /** Whether this browser has started a session before (a returning visitor). */
  get known(): boolean {
    return localStorage.getItem(FLAG) !== null;
  }

  /** A returning visitor's session, or null; never creates one. Read once, at start. */
  restore(): Promise<Me | null> {
    this.restoring ??= this.read();
    return this.restoring;
  }

  /**
   * The session, started on first need. Another tab may have started one since this page
   * loaded (the flag is shared): that one is used rather than a second. Throws a SessionError
   * saying why a session cannot be started.
   */
  async ensure(): Promise<Me> {
    if (this.me) return this.me;
    this.creating ??= (async () => (await this.restoring?.catch(() => null)) ?? (await this.read()) ?? this.create())()
      .finally(() => { this.creating = null; });
    return this.creating;
  }

  async renew(): Promise<Me> {
    this.me = null;
    this.restoring = null;
    localStorage.removeItem(FLAG);
    return this.ensure();
  }

  private async read(): Promise<Me | null> {
    if (!this.known) return null;
    const res = await fetch('/api/me');
    if (res.status === 401) {
      localStorage.removeItem(FLAG); // expired or revoked: a new one when they next place
      return null;
    }
    if (!res.ok) throw new SessionError(`Could not read your session (${res.status}).`);
    return (this.me = (await res.json()) as Me);
  }

  private async create(): Promise<Me> {
    const post = async (challenge?: string) => {
      try {
        return await fetch('/api/session', challenge
          ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge }) }
          : { method: 'POST' });
      } catch {
        throw new SessionError('Could not reach the server to start your session. Check your connection and try again.');
      }
    };
    // Proof of work: the board asks new sessions to solve a challenge (a bot farm pays for each).
    // Asked for first (404: the board has none), so no request is sent just to be refused.
    const first = await fetch('/api/challenge').catch(() => null);
    let res = await post(first?.status === 200 ? await this.solving((await first.json()) as Challenge) : undefined);
    for (let attempt = 0; attempt < 2 && res.status === 403; attempt++) {
      const body = (await res.clone().json().catch(() => ({}))) as Parameters<typeof askedChallenge>[1];
      const challenge = askedChallenge(res.status, body);
      if (!challenge) break;
      res = await post(await this.solving(challenge));
    }
    if (res.status === 429) {
      throw new SessionError('Too many people on your network started sessions in the last hour, so you cannot place pixels right now. You can keep watching the board; try again later.');
    }
    if (res.status !== 201) {
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      throw new SessionError(body.message ?? `Could not start a session (${res.status}).`);
    }
    localStorage.setItem(FLAG, '1');
    const me = await fetch('/api/me');
    if (!me.ok) throw new SessionError(`Could not read your new session (${me.status}).`);
    return (this.me = (await me.json()) as Me);
  }
}
