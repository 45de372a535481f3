// The page's session, which only placing needs: viewing works without one. A returning visitor's
// session (a flag in localStorage says one exists; the HttpOnly cookie holds it) is read at start
// for their cooldown; a new visitor's is created on their first placement, so people who only
// watch never use up their network's share of sessions (SESSIONS_PER_IP_PER_HOUR).
export interface Me {
  userId: string;
  lastPlacedAt: number | null;
  nextAllowedAt: number;
  cooldownMs: number;
}

const FLAG = 'place:hasSession';

export class SessionError extends Error {
  override readonly name = 'SessionError';
}

export class Session {
  me: Me | null = null;
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
    let res: Response;
    try {
      res = await fetch('/api/session', { method: 'POST' });
    } catch {
      throw new SessionError('Could not reach the server to start your session. Check your connection and try again.');
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
