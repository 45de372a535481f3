// The admin page's calls to the admin API (same origin, the session cookie): JSON in and out,
// errors as the API's {"error","message"}.
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const data = (await res.json().catch(() => ({}))) as T & { error?: string; message?: string };
  if (!res.ok) throw new ApiError(res.status, data.error ?? String(res.status), data.message ?? `${method} ${path} failed (${res.status})`);
  return data;
}

export interface Rect { x0: number; y0: number; x1: number; y1: number }
export interface Placement { x: number; y: number; color: number; userId: string; placedAt: number; seq: number }
export interface ChangeResult { pixels: number; rollbackId: string | null; firstSeq?: number; lastSeq?: number; previewPng?: string }
export interface AuditEntry { at: number; actor: string; action: string; reason: string; details: Record<string, unknown> }
export interface Report { id: string; at: number; userId: string; x: number; y: number; reason: string; status: string }
export interface BoardStatus { state: 'live' | 'paused' | 'ended'; message: string | null; opensAt: number | null; cooldownMs: number }
