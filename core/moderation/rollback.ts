// Rollbacks, their undo, and fills: moderators' changes to the board, written as ordinary
// placements (their own seqs, the same feed, persisted like any other, reproduced by a rebuild)
// through the store's moderator batch, in paced batches so ordinary writes keep flowing.
// Each is kept as a record of what it changed (so it can be undone) and audited.
import { randomBytes } from 'node:crypto';
import { colorAt, pixelIndex } from '../domain/board-codec.ts';
import { inRect, type Rect } from '../domain/moderation.ts';
import type { Placement } from '../domain/placement.ts';
import { RefusedError, StoreUnavailableError, RebuildInProgressError } from '../errors.ts';
import type { BoardReader, BoardSnapshot, LiveModeration, Locks, ModeratorPixel, PersistenceOutbox } from '../board-store/board-store.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import { persistPending } from '../service/persist-pending.ts';
import { timeId, type AuditEntry, type ModerationLog, type RollbackChange, type RollbackRecord } from './moderation-log.ts';
import { renderPreview } from './preview.ts';

export interface BoardChangeContext {
  store: BoardReader & PersistenceOutbox & Locks & LiveModeration;
  log: PixelLog;
  moderation: ModerationLog;
  /** Pixels per moderator batch, and the pause between batches (ordinary writes go in between). */
  moderationBatch: { size: number; pauseMs: number };
}

/** At most this many placements are considered for one rollback (more: narrow the area or window). */
export const MAX_ROLLBACK_PLACEMENTS = 1_000_000;
export const MAX_FILL_SIDE = 100;

export interface RollbackRequest {
  area: Rect;
  from: number;
  to: number;
  userId: string | null;
  reason: string;
}

export interface ChangeResult {
  pixels: number;
  rollbackId: string | null;
  firstSeq?: number;
  lastSeq?: number;
  /** Dry runs: the area before and after, side by side (PNG, base64). */
  previewPng?: string;
}

const newId = (now: number) => timeId(now, randomBytes(4).toString('hex'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/** One board-changing operation at a time (two rollbacks over one area would fight). */
async function exclusive<T>(ctx: BoardChangeContext, work: () => Promise<T>): Promise<T> {
  const lock = await ctx.store.tryLock('rollback', 60_000);
  if (!lock) throw new RefusedError(409, 'busy', 'Another rollback, undo or fill is running. Try again when it has finished.');
  const timer = setInterval(() => { void lock.renew(60_000).catch(() => {}); }, 20_000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await lock.release().catch(() => {});
  }
}

/**
 * The colours to set: for every pixel whose placements in the window match (the user's, or
 * anyone's), the colour it had just before the first of them, unless a placement that does not
 * match has covered it since (then it stays).
 */
async function planRollback(ctx: BoardChangeContext, req: RollbackRequest, board: BoardSnapshot): Promise<RollbackChange[]> {
  const found = await ctx.log.placementsInArea({ ...req.area, from: req.from, to: req.to, userId: req.userId, limit: MAX_ROLLBACK_PLACEMENTS });
  if (found.truncated) throw new RefusedError(400, 'too_many_placements', `More than ${MAX_ROLLBACK_PLACEMENTS} placements match: narrow the area or the time window.`);
  const first = new Map<number, Placement>();
  for (const p of found.placements) {
    const key = pixelIndex(board, p.x, p.y);
    const known = first.get(key);
    if (!known || p.seq < known.seq) first.set(key, p);
  }
  const matches = (p: Placement) => p.placedAt >= req.from && p.placedAt <= req.to && (req.userId === null || p.userId === req.userId);
  const changes: RollbackChange[] = [];
  await eachLimit([...first.values()], 32, async (f) => {
    let limit = 16;
    let history = await ctx.log.history(f.x, f.y, limit);
    while (history.length === limit && !history.some((h) => h.seq < f.seq)) {
      limit *= 4;
      history = await ctx.log.history(f.x, f.y, limit);
    }
    if (history.some((h) => h.seq > f.seq && !matches(h))) return;
    const before = history.find((h) => h.seq < f.seq)?.color ?? 0;
    const current = colorAt(board.bytes, pixelIndex(board, f.x, f.y));
    if (current !== before) changes.push({ x: f.x, y: f.y, before: current, after: before, seq: 0 });
  });
  return changes.sort((a, b) => a.y - b.y || a.x - b.x);
}

/** Writes the pixels in paced batches and persists them; the placements, aligned with `pixels` (null: skipped, its colour had changed). */
export async function applyPixels(ctx: BoardChangeContext, actor: string, pixels: readonly ModeratorPixel[]): Promise<(Placement | null)[]> {
  const out: (Placement | null)[] = [];
  const { size, pauseMs } = ctx.moderationBatch;
  for (let i = 0; i < pixels.length; i += size) {
    const batch = pixels.slice(i, i + size);
    let outcome = await ctx.store.placeAsModerator(batch, actor, Date.now());
    let waited = 0;
    while (outcome.status === 'fenced' && waited < 60_000) {
      const ms = Math.min(outcome.retryAfterMs, 1000); // a rebuild: carry on once it is done
      await sleep(ms);
      waited += ms;
      outcome = await ctx.store.placeAsModerator(batch, actor, Date.now());
    }
    if (outcome.status === 'fenced') throw new RebuildInProgressError('the board is being restored', outcome.retryAfterMs, { store: 'redis' });
    if (outcome.status === 'no_board') throw new StoreUnavailableError('the board is being rebuilt', { store: 'redis' });
    const placed = outcome.placements.filter((p): p is Placement => p !== null);
    await eachLimit(placed, 32, async (p) => {
      await ctx.log.record(p);
      await ctx.store.markPersisted(p);
    });
    out.push(...outcome.placements);
    if (pauseMs > 0 && i + size < pixels.length) await sleep(pauseMs);
  }
  return out;
}

/** The board now (its size too: it may have grown since start). */
async function liveBoard(ctx: BoardChangeContext): Promise<BoardSnapshot> {
  // Whatever is placed but not yet confirmed durable is recorded first, so history is complete.
  await persistPending(ctx.store, ctx.log, Date.now());
  const snap = await ctx.store.snapshot();
  if (!snap) throw new StoreUnavailableError('the board is being rebuilt', { store: 'redis' });
  return snap;
}

/** Applies planned changes (each only if the pixel still has the colour it was planned against), keeps the record and audits it. */
async function applyRecord(ctx: BoardChangeContext, record: RollbackRecord, action: string): Promise<ChangeResult> {
  await ctx.moderation.saveRollback(record); // first the plan: a crash part-way still leaves a record of what was meant
  const placed = await applyPixels(ctx, record.actor, record.changes.map((c) => ({ x: c.x, y: c.y, color: c.after, expect: c.before })));
  record.changes.forEach((c, i) => { c.seq = placed[i]?.seq ?? 0; });
  const seqs = record.changes.map((c) => c.seq).filter((s) => s > 0);
  record.firstSeq = seqs.length ? Math.min(...seqs) : null;
  record.lastSeq = seqs.length ? Math.max(...seqs) : null;
  await ctx.moderation.saveRollback(record);
  const result: ChangeResult = { pixels: seqs.length, rollbackId: record.id, ...(seqs.length ? { firstSeq: record.firstSeq!, lastSeq: record.lastSeq! } : {}) };
  await audit(ctx.moderation, record.actor, action, record.reason, {
    area: record.area, from: record.from, to: record.to, userId: record.userId, undoOf: record.undoOf, ...result,
  });
  return result;
}

export async function audit(moderation: ModerationLog, actor: string, action: string, reason: string, details: Record<string, unknown>): Promise<AuditEntry> {
  const at = Date.now();
  const entry: AuditEntry = { id: newId(at), at, actor, action, reason, details };
  await moderation.appendAudit(entry);
  return entry;
}

export async function rollback(ctx: BoardChangeContext, actor: string, req: RollbackRequest, dryRun: boolean): Promise<ChangeResult> {
  const run = async () => {
    const board = await liveBoard(ctx);
    const changes = await planRollback(ctx, req, board);
    if (dryRun) return { pixels: changes.length, rollbackId: null, previewPng: await renderPreview(board.bytes, board, req.area, changes) };
    const at = Date.now();
    return applyRecord(ctx, {
      id: newId(at), kind: 'rollback', at, actor, reason: req.reason, area: req.area, from: req.from, to: req.to, userId: req.userId,
      undoOf: null, undoneBy: null, firstSeq: null, lastSeq: null, changes,
    }, 'rollback');
  };
  return dryRun ? run() : exclusive(ctx, run);
}

/** Puts back what a rollback (or fill) replaced, where its placement is still the pixel's latest. */
export async function undo(ctx: BoardChangeContext, actor: string, id: string, reason: string): Promise<ChangeResult> {
  return exclusive(ctx, async () => {
    const original = await ctx.moderation.rollback(id);
    if (!original) throw new RefusedError(404, 'not_found', `There is no rollback ${id}.`);
    if (original.kind === 'undo') throw new RefusedError(409, 'not_undoable', 'An undo cannot itself be undone.');
    if (original.undoneBy) throw new RefusedError(409, 'already_undone', `Rollback ${id} was already undone (${original.undoneBy}).`, { undoneBy: original.undoneBy });
    await liveBoard(ctx);
    const changes: RollbackChange[] = [];
    await eachLimit(original.changes.filter((c) => c.seq > 0), 32, async (c) => {
      if ((await ctx.log.pixel(c.x, c.y))?.seq === c.seq) changes.push({ x: c.x, y: c.y, before: c.after, after: c.before, seq: 0 });
    });
    changes.sort((a, b) => a.y - b.y || a.x - b.x);
    const at = Date.now();
    const record: RollbackRecord = {
      id: newId(at), kind: 'undo', at, actor, reason, area: original.area, from: original.from, to: original.to, userId: original.userId,
      undoOf: id, undoneBy: null, firstSeq: null, lastSeq: null, changes,
    };
    const result = await applyRecord(ctx, record, 'rollback.undo');
    await ctx.moderation.saveRollback({ ...original, undoneBy: record.id });
    return result;
  });
}

/** Paints a rectangle (at most MAX_FILL_SIDE on a side) in one colour, as the moderator's placements; undoable like a rollback. */
export async function fill(ctx: BoardChangeContext, actor: string, area: Rect, color: number, reason: string): Promise<ChangeResult> {
  return exclusive(ctx, async () => {
    const board = await liveBoard(ctx);
    const changes: RollbackChange[] = [];
    for (let y = area.y0; y <= area.y1; y++) {
      for (let x = area.x0; x <= area.x1; x++) {
        const current = colorAt(board.bytes, pixelIndex(board, x, y));
        if (current !== color && inRect(area, x, y)) changes.push({ x, y, before: current, after: color, seq: 0 });
      }
    }
    const at = Date.now();
    return applyRecord(ctx, {
      id: newId(at), kind: 'fill', at, actor, reason, area, from: null, to: null, userId: null, undoOf: null, undoneBy: null,
      firstSeq: null, lastSeq: null, changes,
    }, 'fill');
  });
}
