// The page's session: created on the first visit (the server sets an HttpOnly cookie), then
// reused across reloads. A flag in localStorage says a session exists, so a first visit does
// not begin with a failing /api/me.
export interface Me {
  userId: string;
  lastPlacedAt: number | null;
  nextAllowedAt: number;
  cooldownMs: number;
}

const FLAG = 'place:hasSession';

export class SessionError extends Error {}

async function create(): Promise<void> {
  const res = await fetch('/api/session', { method: 'POST' });
  if (res.status !== 201) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new SessionError(body.message ?? `Could not start a session (${res.status}).`);
  }
  localStorage.setItem(FLAG, '1');
}

export async function ensureSession(): Promise<Me> {
  if (!localStorage.getItem(FLAG)) await create();
  let res = await fetch('/api/me');
  if (res.status === 401) {
    await create();
    res = await fetch('/api/me');
  }
  if (!res.ok) throw new SessionError(`Could not read your session (${res.status}).`);
  return (await res.json()) as Me;
}

export async function renewSession(): Promise<Me> {
  localStorage.removeItem(FLAG);
  return ensureSession();
}
