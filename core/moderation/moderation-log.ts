// Moderation's durable record: roles, bans, protected areas and the board's state (the live store
// holds copies the write script reads; a rebuild restores them from here), the append-only audit
// log, users' reports and rollbacks (what each changed, so it can be undone). Cassandra /
// Keyspaces in production, a file for the one-command local run; both pass moderation-log.contract.ts.
import { defaultBoardStatus, type BoardStatus, type IpBan, type LiveModerationState, type ProtectedArea, type Rect, type Role, type UserBan } from '../domain/moderation.ts';

/** Who set a record, when and why. */
export interface Provenance {
  by: string;
  at: number;
  reason: string;
}

export interface RoleRecord extends Provenance {
  userId: string;
  role: Role;
}
export type BanRecord = UserBan & Provenance;
export type IpBanRecord = IpBan & Provenance;
export type AreaRecord = ProtectedArea & Provenance;

export interface AuditEntry {
  id: string;
  at: number;
  actor: string;
  action: string;
  reason: string;
  details: Record<string, unknown>;
}

export interface Report {
  id: string;
  at: number;
  /** Who reported. */
  userId: string;
  x: number;
  y: number;
  reason: string;
  /** The pixel's placement when it was reported, if any. */
  pixel: { color: number; userId: string; placedAt: number; seq: number } | null;
  status: 'open' | 'resolved';
  resolution: { by: string; at: number; reason: string } | null;
}

/** One pixel a rollback set: `before` is the colour it replaced, `seq` its placement (0: not applied). */
export interface RollbackChange {
  x: number;
  y: number;
  before: number;
  after: number;
  seq: number;
}

export interface RollbackRecord {
  id: string;
  kind: 'rollback' | 'fill' | 'undo';
  at: number;
  actor: string;
  reason: string;
  area: Rect;
  from: number | null;
  to: number | null;
  userId: string | null;
  /** For an undo: the rollback it undid. For a rollback: the undo that undid it, once there is one. */
  undoOf: string | null;
  undoneBy: string | null;
  firstSeq: number | null;
  lastSeq: number | null;
  changes: RollbackChange[];
}

export interface ModerationLog {
  role(userId: string): Promise<Role | null>;
  roles(): Promise<RoleRecord[]>;
  /** Grants (a record) or revokes (null) a role. */
  setRole(userId: string, record: RoleRecord | null): Promise<void>;
  /** The state an admin last set; null when none ever was. */
  boardStatus(): Promise<(BoardStatus & Provenance) | null>;
  setBoardStatus(status: BoardStatus & Provenance): Promise<void>;
  areas(): Promise<AreaRecord[]>;
  putArea(area: AreaRecord): Promise<void>;
  deleteArea(name: string): Promise<void>;
  bans(): Promise<BanRecord[]>;
  putBan(ban: BanRecord): Promise<void>;
  deleteBan(userId: string): Promise<void>;
  ipBans(): Promise<IpBanRecord[]>;
  putIpBan(ban: IpBanRecord): Promise<void>;
  deleteIpBan(cidr: string): Promise<void>;
  /** Appends; nothing edits or deletes an entry. */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first, only entries before `before` (ms). */
  audit(limit: number, before: number): Promise<AuditEntry[]>;
  addReport(report: Report): Promise<void>;
  report(id: string): Promise<Report | null>;
  /** Newest first. */
  reports(status: Report['status'], limit: number): Promise<Report[]>;
  resolveReport(id: string, resolution: NonNullable<Report['resolution']>): Promise<Report | null>;
  saveRollback(record: RollbackRecord): Promise<void>;
  rollback(id: string): Promise<RollbackRecord | null>;
  close(): Promise<void>;
}

/** What the write path needs, from the durable record (what a rebuild restores into the live store). */
export async function liveModerationState(log: ModerationLog, defaultCooldownMs: number): Promise<LiveModerationState> {
  const [status, areas, bans, ipBans, roles] = await Promise.all([log.boardStatus(), log.areas(), log.bans(), log.ipBans(), log.roles()]);
  const now = Date.now();
  return {
    status: status ? { state: status.state, message: status.message, opensAt: status.opensAt, cooldownMs: status.cooldownMs } : defaultBoardStatus(defaultCooldownMs),
    areas: areas.map(({ name, x0, y0, x1, y1 }) => ({ name, x0, y0, x1, y1 })),
    bans: bans.filter((b) => b.until === null || b.until > now).map(({ userId, until, shadow }) => ({ userId, until, shadow })),
    ipBans: ipBans.filter((b) => b.until === null || b.until > now).map(({ cidr, until }) => ({ cidr, until })),
    roles: roles.map(({ userId, role }) => ({ userId, role })),
  };
}

/** A time-ordered id: sorts (as text) by when it was made. */
export function timeId(at: number, random: string): string {
  return `${at.toString(36).padStart(9, '0')}-${random}`;
}

/** Packs rollback changes (u16 x, u16 y, u8 before, u8 after, f64 seq) for storage. */
export function packChanges(changes: readonly RollbackChange[]): Buffer {
  const out = Buffer.alloc(changes.length * 14);
  changes.forEach((c, i) => {
    const o = i * 14;
    out.writeUInt16LE(c.x, o);
    out.writeUInt16LE(c.y, o + 2);
    out.writeUInt8(c.before, o + 4);
    out.writeUInt8(c.after, o + 5);
    out.writeDoubleLE(c.seq, o + 6);
  });
  return out;
}

export function unpackChanges(bytes: Buffer): RollbackChange[] {
  const out: RollbackChange[] = [];
  for (let o = 0; o + 14 <= bytes.length; o += 14) {
    out.push({ x: bytes.readUInt16LE(o), y: bytes.readUInt16LE(o + 2), before: bytes.readUInt8(o + 4), after: bytes.readUInt8(o + 5), seq: bytes.readDoubleLE(o + 6) });
  }
  return out;
}
