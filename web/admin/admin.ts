// The moderation page (/admin): the same session cookie as the board; every action calls the
// admin API with the reason typed once at the top, and says what happened.
import { AdminBoard } from './admin-board.ts';
import { api, ApiError, type AuditEntry, type BoardStatus, type ChangeResult, type Placement, type Rect, type Report } from './admin-api.ts';
import { Session } from '../session.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id);
const num = (id: string) => Number(input(id).value);

function say(text: string, kind: 'ok' | 'error' = 'ok'): void {
  const el = $('admin-status');
  el.textContent = text;
  el.dataset.kind = kind;
}

/** Runs an action; an API error is shown, not thrown. */
function action(run: () => Promise<void>): () => void {
  return () => {
    run().catch((err: unknown) => say(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err), 'error'));
  };
}

const reason = () => input('reason').value.trim();
const when = (at: number) => new Date(at).toLocaleString();

function table(headers: string[], rows: (string | Node)[][]): HTMLTableElement {
  const t = document.createElement('table');
  const head = t.createTHead().insertRow();
  for (const h of headers) head.append(Object.assign(document.createElement('th'), { textContent: h }));
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) tr.insertCell().append(cell);
  }
  return t;
}

function button(text: string, run: () => Promise<void>, id?: string): HTMLButtonElement {
  const b = Object.assign(document.createElement('button'), { type: 'button', textContent: text });
  if (id) b.dataset.testid = id;
  b.addEventListener('click', action(run));
  return b;
}

async function signIn(): Promise<{ userId: string; role: string } | null> {
  let me = await fetch('/api/me');
  if (me.status === 401) {
    // Started as the board page does: solving the proof-of-work challenge when the board asks for one.
    await new Session().renew().catch(() => null);
    me = await fetch('/api/me');
  }
  const { userId } = (await me.json()) as { userId: string };
  try {
    return await api<{ userId: string; role: string }>('GET', '/api/admin/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      $('who').textContent = `Signed in as ${userId}, who holds no moderator role. An admin can grant it: npm run admin -- grant ${userId} moderator`;
      $('who').dataset.userId = userId;
      $('recheck').hidden = false;
      return null;
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const me = await signIn();
  $('recheck').addEventListener('click', () => location.reload());
  if (!me) return;
  $('who').textContent = `${me.userId} (${me.role})`;
  $('who').dataset.userId = me.userId;
  $('console').hidden = false;
  const config = (await (await fetch('/api/config')).json()) as BoardStatus & { width: number; height: number; palette: string[] };

  let lastRollback: string | null = null;
  const area = (): Rect => ({ x0: num('x0'), y0: num('y0'), x1: num('x1'), y1: num('y1') });
  const windowMs = () => ({ from: Date.now() - num('minutes') * 60_000, to: Date.now() });
  const board = new AdminBoard($<HTMLCanvasElement>('admin-board'), $('selection'), config.width, config.height, (r) => {
    for (const k of ['x0', 'y0', 'x1', 'y1'] as const) input(k).value = String(r[k]);
    void listPlacements();
  }, (x, y) => void inspect(x, y));
  await board.load();
  setInterval(() => void board.load().catch(() => {}), 5000);

  async function listPlacements(): Promise<void> {
    const r = area();
    board.show(r);
    const user = input('user-filter').value.trim();
    const q = new URLSearchParams({ ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])), from: String(windowMs().from), to: String(windowMs().to), limit: '500' });
    if (user) q.set('userId', user);
    const { placements, truncated } = await api<{ placements: Placement[]; truncated: boolean }>('GET', `/api/admin/placements?${q.toString()}`);
    const byUser = new Map<string, number>();
    for (const p of placements) byUser.set(p.userId, (byUser.get(p.userId) ?? 0) + 1);
    $('placements').replaceChildren(
      table(['user', 'pixels', ''], [...byUser].sort((a, b) => b[1] - a[1]).map(([u, n]) => [u, String(n), button('Ban', () => ban(u, false), `ban-${u}`)])),
      table(['x', 'y', 'colour', 'user', 'when', 'seq'], placements.slice(0, 100).map((p) => [String(p.x), String(p.y), String(p.color), p.userId, when(p.placedAt), String(p.seq)])),
    );
    say(`${placements.length}${truncated ? '+' : ''} placements in the area`);
  }

  async function ban(userId: string, shadow: boolean): Promise<void> {
    const hours = input('ban-hours').value ? num('ban-hours') : null;
    await api('PUT', `/api/admin/bans/${encodeURIComponent(userId)}`, { reason: reason(), shadow, until: hours ? Date.now() + hours * 3_600_000 : null });
    say(`${userId} is banned${shadow ? ' (shadow)' : ''}`);
    await refreshLists();
  }

  async function inspect(x: number, y: number): Promise<void> {
    $('pixel-info').hidden = false;
    const res = await fetch(`/api/pixels/${x}/${y}`);
    if (res.status === 404) {
      $('pixel-text').textContent = `(${x}, ${y}) has never been placed.`;
      $('ban-pixel-user').hidden = true;
      return;
    }
    const p = (await res.json()) as { color: number; userId: string; placedAt: number };
    $('pixel-text').textContent = `(${x}, ${y}) colour ${p.color}, placed by ${p.userId} at ${when(p.placedAt)}`;
    $('ban-pixel-user').hidden = false;
    $('ban-pixel-user').dataset.userId = p.userId;
  }
  $('ban-pixel-user').addEventListener('click', action(() => ban($('ban-pixel-user').dataset.userId!, input('ban-shadow').checked)));

  function showPreview(png: string): void {
    const img = new Image();
    img.onload = () => {
      const w = (img.width - 2) / 2;
      for (const [id, sx] of [['preview-before', 0], ['preview-after', w + 2]] as const) {
        const c = $<HTMLCanvasElement>(id);
        c.width = w;
        c.height = img.height;
        c.getContext('2d')!.drawImage(img, sx, 0, w, img.height, 0, 0, w, img.height);
      }
      $('preview').hidden = false;
    };
    img.src = `data:image/png;base64,${png}`;
  }

  const rollbackBody = (dryRun: boolean) => ({ ...area(), ...windowMs(), userId: input('user-filter').value.trim() || null, dryRun, reason: reason() || 'preview' });
  $('list-placements').addEventListener('click', action(listPlacements));
  $('preview-rollback').addEventListener('click', action(async () => {
    const r = await api<ChangeResult>('POST', '/api/admin/rollback', rollbackBody(true));
    showPreview(r.previewPng!);
    $<HTMLButtonElement>('apply-rollback').disabled = false;
    say(`The rollback would change ${r.pixels} pixels`);
  }));
  $('apply-rollback').addEventListener('click', action(async () => {
    const r = await api<ChangeResult>('POST', '/api/admin/rollback', rollbackBody(false));
    lastRollback = r.rollbackId;
    $<HTMLButtonElement>('undo-rollback').disabled = !lastRollback;
    $<HTMLButtonElement>('apply-rollback').disabled = true;
    say(`Rolled back ${r.pixels} pixels (rollback ${r.rollbackId})`);
    await board.load();
  }));
  $('undo-rollback').addEventListener('click', action(async () => {
    const r = await api<ChangeResult>('POST', `/api/admin/rollback/${encodeURIComponent(lastRollback!)}/undo`, { reason: reason() });
    $<HTMLButtonElement>('undo-rollback').disabled = true;
    say(`Undone: ${r.pixels} pixels put back`);
    await board.load();
  }));
  $('protect').addEventListener('click', action(async () => {
    const name = input('area-name').value.trim();
    await api('PUT', `/api/admin/protected/${encodeURIComponent(name)}`, { ...area(), reason: reason() });
    say(`Area ${name} is protected`);
    await refreshLists();
  }));
  $('fill').addEventListener('click', action(async () => {
    const r = await api<ChangeResult>('POST', '/api/admin/fill', { ...area(), color: num('fill-color'), reason: reason() });
    say(`Filled ${r.pixels} pixels`);
    await board.load();
  }));

  function showBoardState(s: BoardStatus): void {
    $<HTMLSelectElement>('board-state').value = s.state;
    input('board-message').value = s.message ?? '';
    input('cooldown-s').value = String(s.cooldownMs / 1000);
    $('board-now').textContent = `Now: ${s.state}${s.opensAt ? `, opens ${when(s.opensAt)}` : ''}, cooldown ${s.cooldownMs / 1000} s${s.message ? `, "${s.message}"` : ''}`;
  }
  showBoardState(config);
  $('set-board').addEventListener('click', action(async () => {
    const opensIn = input('opens-in').value;
    const { status } = await api<{ status: BoardStatus }>('PUT', '/api/admin/board', {
      state: $<HTMLSelectElement>('board-state').value, message: input('board-message').value || null,
      cooldownMs: Math.round(num('cooldown-s') * 1000), opensAt: opensIn ? Date.now() + Number(opensIn) * 60_000 : null, reason: reason(),
    });
    showBoardState(status);
    say(`The board is ${status.state}`);
  }));
  $('ban-cidr').addEventListener('click', action(async () => {
    const { ban: made } = await api<{ ban: { cidr: string } }>('PUT', `/api/admin/ip-bans/${encodeURIComponent(input('cidr').value.trim())}`, { reason: reason() });
    say(`${made.cidr} is banned`);
    await refreshLists();
  }));

  async function refreshLists(): Promise<void> {
    const [{ areas }, { bans }, ipBans, { reports }] = await Promise.all([
      api<{ areas: (Rect & { name: string; reason: string })[] }>('GET', '/api/admin/protected'),
      api<{ bans: { userId: string; until: number | null; shadow: boolean; reason: string }[] }>('GET', '/api/admin/bans'),
      api<{ bans: { cidr: string; reason: string }[] }>('GET', '/api/admin/ip-bans'),
      api<{ reports: Report[] }>('GET', '/api/admin/reports?status=open'),
    ]);
    $('areas').replaceChildren(table(['area', 'rectangle', 'reason', ''], areas.map((a) => [a.name, `${a.x0},${a.y0}–${a.x1},${a.y1}`, a.reason,
      button('Unprotect', async () => { await api('DELETE', `/api/admin/protected/${a.name}`, { reason: reason() }); await refreshLists(); })])));
    $('bans').replaceChildren(table(['banned user', 'until', 'reason', ''], bans.map((b) => [`${b.userId}${b.shadow ? ' (shadow)' : ''}`, b.until ? when(b.until) : 'lifted by hand', b.reason,
      button('Lift', async () => { await api('DELETE', `/api/admin/bans/${encodeURIComponent(b.userId)}`, { reason: reason() }); await refreshLists(); })])));
    $('ip-bans').replaceChildren(table(['banned range', 'reason', ''], ipBans.bans.map((b) => [b.cidr, b.reason,
      button('Lift', async () => { await api('DELETE', `/api/admin/ip-bans/${encodeURIComponent(b.cidr)}`, { reason: reason() }); await refreshLists(); })])));
    $('reports').replaceChildren(table(['when', 'pixel', 'by', 'reason', ''], reports.map((r) => [when(r.at), `${r.x}, ${r.y}`, r.userId, r.reason,
      button('Resolve', async () => { await api('POST', `/api/admin/reports/${encodeURIComponent(r.id)}/resolve`, { reason: reason() }); await refreshLists(); }, `resolve-${r.id}`)])));
    await refreshAudit();
  }

  async function refreshAudit(): Promise<void> {
    const { entries } = await api<{ entries: AuditEntry[] }>('GET', '/api/admin/audit?limit=50');
    $('audit').replaceChildren(table(['when', 'who', 'action', 'reason', 'details'], entries.map((e) => [when(e.at), e.actor, e.action, e.reason, JSON.stringify(e.details)])));
  }
  $('refresh-audit').addEventListener('click', action(refreshLists));
  await refreshLists();
}

main().catch((err: unknown) => say(err instanceof Error ? err.message : String(err), 'error'));
