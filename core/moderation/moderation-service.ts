// What moderators set besides the board's pixels: the board's state and cooldown, protected
// areas, bans (by user and by address range), roles, and users' reports. Each change goes to
// persistence first (the record a rebuild restores from), then to the live copy the write script
// reads, then into the audit log.
import type { BoardStatus, IpBan, Role } from '../domain/moderation.ts';
import { banActive, defaultBoardStatus } from '../domain/moderation.ts';
import { RefusedError } from '../errors.ts';
import type { BoardReader, LiveModeration, Locks } from '../board-store/board-store.ts';
import { audit, type BoardChangeContext } from './rollback.ts';
import { timeId, type AreaRecord, type BanRecord, type IpBanRecord, type ModerationLog, type Report } from './moderation-log.ts';
import { randomBytes } from 'node:crypto';

export interface ModerationContext extends BoardChangeContext {
  reportsPerHour: number;
}

/** Changes that rewrite a whole live set (areas, address bans) run one at a time, so none is lost. */
async function serialised<T>(store: Locks, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const lock = await store.tryLock('moderation', 10_000);
    if (lock) {
      try {
        return await work();
      } finally {
        await lock.release().catch(() => {});
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new RefusedError(409, 'busy', 'Another moderation change is being saved. Try again in a moment.');
}

/**
 * The board's state and cooldown in force, for readers (config, /api/me): the live copy, or,
 * while the live store has lost everything and no write has rebuilt it yet, the durable record
 * (a paused board must not look open because Redis was emptied).
 */
export async function currentBoardStatus(ctx: { store: BoardReader & Pick<LiveModeration, 'boardStatus'>; moderation: ModerationLog; rules: { cooldownMs: number } }): Promise<BoardStatus> {
  const [head, live] = await Promise.all([ctx.store.head(), ctx.store.boardStatus()]);
  if (head) return live;
  const kept = await ctx.moderation.boardStatus();
  return kept ? { state: kept.state, message: kept.message, opensAt: kept.opensAt, cooldownMs: kept.cooldownMs } : defaultBoardStatus(ctx.rules.cooldownMs);
}

export interface BoardStatusChange {
  state: BoardStatus['state'];
  message?: string | null;
  opensAt?: number | null;
  cooldownMs?: number;
}

export async function setBoardStatus(ctx: ModerationContext, actor: string, change: BoardStatusChange, reason: string): Promise<BoardStatus> {
  const previous = await ctx.store.boardStatus();
  const next: BoardStatus = { state: change.state, message: change.message ?? null, opensAt: change.opensAt ?? null, cooldownMs: change.cooldownMs ?? previous.cooldownMs };
  await ctx.moderation.setBoardStatus({ ...next, by: actor, at: Date.now(), reason });
  await ctx.store.setBoardStatus(next);
  await audit(ctx.moderation, actor, 'board.state', reason, { ...next, previous });
  return next;
}

export async function protectArea(ctx: ModerationContext, actor: string, area: Omit<AreaRecord, 'by' | 'at'>): Promise<AreaRecord> {
  const record: AreaRecord = { ...area, by: actor, at: Date.now() };
  await serialised(ctx.store, async () => {
    await ctx.moderation.putArea(record);
    await ctx.store.setProtectedAreas(await ctx.moderation.areas());
  });
  await audit(ctx.moderation, actor, 'area.protect', area.reason, { name: area.name, x0: area.x0, y0: area.y0, x1: area.x1, y1: area.y1 });
  return record;
}

export async function unprotectArea(ctx: ModerationContext, actor: string, name: string, reason: string): Promise<void> {
  await serialised(ctx.store, async () => {
    const areas = await ctx.moderation.areas();
    if (!areas.some((a) => a.name === name)) throw new RefusedError(404, 'not_found', `There is no protected area "${name}".`);
    await ctx.moderation.deleteArea(name);
    await ctx.store.setProtectedAreas(areas.filter((a) => a.name !== name));
  });
  await audit(ctx.moderation, actor, 'area.unprotect', reason, { name });
}

export async function banUser(ctx: ModerationContext, actor: string, ban: Omit<BanRecord, 'by' | 'at'>): Promise<BanRecord> {
  const record: BanRecord = { ...ban, by: actor, at: Date.now() };
  await ctx.moderation.putBan(record);
  await ctx.store.setUserBan(ban.userId, { userId: ban.userId, until: ban.until, shadow: ban.shadow });
  await audit(ctx.moderation, actor, 'user.ban', ban.reason, { userId: ban.userId, until: ban.until, shadow: ban.shadow });
  return record;
}

export async function unbanUser(ctx: ModerationContext, actor: string, userId: string, reason: string): Promise<void> {
  if (!(await ctx.moderation.bans()).some((b) => b.userId === userId)) throw new RefusedError(404, 'not_found', `${userId} is not banned.`);
  await ctx.moderation.deleteBan(userId);
  await ctx.store.setUserBan(userId, null);
  await audit(ctx.moderation, actor, 'user.unban', reason, { userId });
}

const activeIpBans = (bans: readonly IpBanRecord[]): IpBan[] => bans.filter((b) => banActive(b, Date.now())).map(({ cidr, until }) => ({ cidr, until }));

export async function banRange(ctx: ModerationContext, actor: string, ban: Omit<IpBanRecord, 'by' | 'at'>): Promise<IpBanRecord> {
  const record: IpBanRecord = { ...ban, by: actor, at: Date.now() };
  await serialised(ctx.store, async () => {
    await ctx.moderation.putIpBan(record);
    await ctx.store.setIpBans(activeIpBans(await ctx.moderation.ipBans()));
  });
  await audit(ctx.moderation, actor, 'ip.ban', ban.reason, { cidr: ban.cidr, until: ban.until });
  return record;
}

export async function unbanRange(ctx: ModerationContext, actor: string, cidr: string, reason: string): Promise<void> {
  await serialised(ctx.store, async () => {
    const bans = await ctx.moderation.ipBans();
    if (!bans.some((b) => b.cidr === cidr)) throw new RefusedError(404, 'not_found', `${cidr} is not banned.`);
    await ctx.moderation.deleteIpBan(cidr);
    await ctx.store.setIpBans(activeIpBans(bans.filter((b) => b.cidr !== cidr)));
  });
  await audit(ctx.moderation, actor, 'ip.unban', reason, { cidr });
}

/** Grants (a role) or revokes (null). */
export async function setRole(ctx: { moderation: ModerationLog; store: Pick<LiveModeration, 'setRole'> }, actor: string, userId: string, role: Role | null, reason: string): Promise<void> {
  await ctx.moderation.setRole(userId, role ? { userId, role, by: actor, at: Date.now(), reason } : null);
  await ctx.store.setRole(userId, role);
  await audit(ctx.moderation, actor, role ? 'role.grant' : 'role.revoke', reason, { userId, role });
}

export async function createReport(ctx: ModerationContext, userId: string, x: number, y: number, reason: string): Promise<Report> {
  const now = Date.now();
  const slot = await ctx.store.takeReportSlot(userId, ctx.reportsPerHour, now);
  if (!slot.allowed) {
    throw new RefusedError(429, 'rate_limited', `You can send ${ctx.reportsPerHour} reports an hour. Try again later.`, { retryAfterMs: slot.retryAfterMs });
  }
  const placed = await ctx.log.pixel(x, y);
  const report: Report = {
    id: timeId(now, randomBytes(4).toString('hex')), at: now, userId, x, y, reason, status: 'open', resolution: null,
    pixel: placed ? { color: placed.color, userId: placed.userId, placedAt: placed.placedAt, seq: placed.seq } : null,
  };
  await ctx.moderation.addReport(report);
  return report;
}

export async function resolveReport(ctx: ModerationContext, actor: string, id: string, reason: string): Promise<Report> {
  const report = await ctx.moderation.report(id);
  if (!report) throw new RefusedError(404, 'not_found', `There is no report ${id}.`);
  if (report.status === 'resolved') throw new RefusedError(409, 'already_resolved', `Report ${id} was already resolved.`);
  const resolved = (await ctx.moderation.resolveReport(id, { by: actor, at: Date.now(), reason }))!;
  await audit(ctx.moderation, actor, 'report.resolve', reason, { reportId: id, x: report.x, y: report.y });
  return resolved;
}
