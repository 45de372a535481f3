// Who is signed in, and why they cannot place: the header's sign-in links (when the board offers
// sign-in) or "Signed in as …" with Sign out, and a notice that stays while the user may not
// place (ineligible, or the board needs sign-in). Nothing shows on an anonymous-only board.
import { $ } from './dom.ts';
import type { Me, Session } from './session.ts';
import { ineligibleMessage } from './placing.ts';

interface SigninConfig {
  mode: 'anonymous' | 'signin-optional' | 'signin-required';
  providers: Array<{ id: string; name: string }>;
}

async function signinConfig(): Promise<SigninConfig | null> {
  try {
    const res = await fetch('/api/config');
    return res.ok ? ((await res.json()) as { signin?: SigninConfig }).signin ?? null : null;
  } catch {
    return null;
  }
}

export async function showAccount(session: Session, me: Me | null): Promise<void> {
  const config = await signinConfig();
  if (!config || config.mode === 'anonymous') return;
  const el = $('account');
  el.replaceChildren();
  if (me?.provider) {
    const who = document.createElement('span');
    who.className = 'muted';
    who.textContent = `Signed in as ${me.displayName ?? 'you'}`;
    const out = document.createElement('button');
    out.type = 'button';
    out.className = 'chip';
    out.textContent = 'Sign out';
    out.addEventListener('click', () => { void session.signOut().then(() => location.reload()); });
    el.append(who, out);
  } else {
    for (const p of config.providers) {
      const a = document.createElement('a');
      a.className = 'chip';
      a.href = `/api/auth/${encodeURIComponent(p.id)}/start`;
      a.textContent = `Sign in with ${p.name}`;
      el.append(a);
    }
  }
  const why = me ? (me.eligible ? null : ineligibleMessage(me.ineligibleReason)) : config.mode === 'signin-required' ? ineligibleMessage('signin_required') : null;
  const notice = $('eligibility');
  notice.textContent = why ?? '';
  notice.hidden = why === null;
}
