// Moderation's record for the one-command local run: an append-only file of JSON lines
// (DATA_DIR/moderation.log), each flushed to disk before the call returns. Another process (the
// `npm run admin` command) may append too: every read first takes in whatever was appended since,
// so a role granted by the command counts at the next request.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { mkdirSync, unwatchFile, watchFile } from 'node:fs';
import path from 'node:path';
import type { BoardStatus } from '../domain/moderation.ts';
import type { Role } from '../domain/moderation.ts';
import type { AreaRecord, AuditEntry, BanRecord, IpBanRecord, ModerationLog, Provenance, Report, RoleRecord, RollbackRecord } from './moderation-log.ts';
import { reportFailure } from '../observability/telemetry.ts';

type Op =
  | { t: 'put'; kind: string; item: string; body: unknown }
  | { t: 'del'; kind: string; item: string }
  | { t: 'audit'; entry: AuditEntry }
  | { t: 'report'; report: Report }
  | { t: 'rollback'; record: RollbackRecord };

export class FileModerationLog implements ModerationLog {
  private readonly kv = new Map<string, Map<string, unknown>>();
  private readonly auditLog: AuditEntry[] = [];
  private readonly reportsById = new Map<string, Report>();
  private readonly rollbacks = new Map<string, RollbackRecord>();
  /** How far the file has been read (up to the last whole line). */
  private readUpTo = 0;
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly file: FileHandle, readonly filePath: string) {}

  static async open(dataDir: string): Promise<FileModerationLog> {
    mkdirSync(dataDir, { recursive: true });
    const filePath = path.join(dataDir, 'moderation.log');
    const log = new FileModerationLog(await open(filePath, 'a+'), filePath);
    await log.refresh();
    return log;
  }

  private reading: Promise<void> = Promise.resolve();

  /** Takes in lines appended since the last read (by this process or another); reads run one after another. */
  private refresh(): Promise<void> {
    const next = this.reading.then(() => this.readNew());
    this.reading = next.catch(() => {});
    return next;
  }

  private async readNew(): Promise<void> {
    const { size } = await stat(this.filePath);
    if (size <= this.readUpTo) return;
    const buffer = Buffer.alloc(size - this.readUpTo);
    await this.file.read(buffer, 0, buffer.length, this.readUpTo);
    const end = buffer.lastIndexOf(0x0a);
    if (end < 0) return; // a line still being written
    for (const line of buffer.subarray(0, end).toString('utf8').split('\n')) {
      if (!line) continue;
      try {
        this.apply(JSON.parse(line) as Op);
      } catch (err) {
        reportFailure('moderation-log-line', err); // a torn line (a crash mid-write) is skipped, never fatal
      }
    }
    this.readUpTo += end + 1;
  }

  private apply(op: Op): void {
    switch (op.t) {
      case 'put': {
        let kind = this.kv.get(op.kind);
        if (!kind) this.kv.set(op.kind, (kind = new Map()));
        kind.set(op.item, op.body);
        break;
      }
      case 'del': this.kv.get(op.kind)?.delete(op.item); break;
      case 'audit': this.auditLog.push(op.entry); break;
      case 'report': this.reportsById.set(op.report.id, op.report); break;
      case 'rollback': this.rollbacks.set(op.record.id, op.record); break;
    }
  }

  private append(op: Op): Promise<void> {
    const line = `${JSON.stringify(op)}\n`;
    const done = this.writing.then(async () => {
      await this.file.appendFile(line, 'utf8');
      await this.file.datasync();
      await this.refresh();
    });
    this.writing = done.catch(() => {});
    return done;
  }

  /** Calls `changed` when another process appends (polled: the local run's way to see the command's grants). */
  watch(changed: () => void, intervalMs = 500): () => void {
    const listener = () => {
      const before = this.readUpTo;
      this.refresh().then(() => { if (this.readUpTo !== before) changed(); }, (err: unknown) => reportFailure('moderation-log-watch', err));
    };
    watchFile(this.filePath, { interval: intervalMs, persistent: false }, listener);
    return () => unwatchFile(this.filePath, listener);
  }

  private async all<T>(kind: string): Promise<T[]> {
    await this.refresh();
    return [...(this.kv.get(kind)?.values() ?? [])] as T[];
  }

  async role(userId: string): Promise<Role | null> {
    await this.refresh();
    return (this.kv.get('role')?.get(userId) as RoleRecord | undefined)?.role ?? null;
  }

  roles(): Promise<RoleRecord[]> { return this.all('role'); }
  setRole(userId: string, record: RoleRecord | null): Promise<void> {
    return this.append(record ? { t: 'put', kind: 'role', item: userId, body: record } : { t: 'del', kind: 'role', item: userId });
  }

  async boardStatus(): Promise<(BoardStatus & Provenance) | null> {
    await this.refresh();
    return (this.kv.get('board')?.get('status') as (BoardStatus & Provenance) | undefined) ?? null;
  }

  setBoardStatus(status: BoardStatus & Provenance): Promise<void> { return this.append({ t: 'put', kind: 'board', item: 'status', body: status }); }
  areas(): Promise<AreaRecord[]> { return this.all('area'); }
  putArea(area: AreaRecord): Promise<void> { return this.append({ t: 'put', kind: 'area', item: area.name, body: area }); }
  deleteArea(name: string): Promise<void> { return this.append({ t: 'del', kind: 'area', item: name }); }
  bans(): Promise<BanRecord[]> { return this.all('ban'); }
  putBan(ban: BanRecord): Promise<void> { return this.append({ t: 'put', kind: 'ban', item: ban.userId, body: ban }); }
  deleteBan(userId: string): Promise<void> { return this.append({ t: 'del', kind: 'ban', item: userId }); }
  ipBans(): Promise<IpBanRecord[]> { return this.all('ip-ban'); }
  putIpBan(ban: IpBanRecord): Promise<void> { return this.append({ t: 'put', kind: 'ip-ban', item: ban.cidr, body: ban }); }
  deleteIpBan(cidr: string): Promise<void> { return this.append({ t: 'del', kind: 'ip-ban', item: cidr }); }
  appendAudit(entry: AuditEntry): Promise<void> { return this.append({ t: 'audit', entry }); }

  async audit(limit: number, before: number): Promise<AuditEntry[]> {
    await this.refresh();
    return this.auditLog.filter((e) => e.at < before).sort((a, b) => b.at - a.at || a.id.localeCompare(b.id)).slice(0, limit);
  }

  addReport(report: Report): Promise<void> { return this.append({ t: 'report', report }); }

  async report(id: string): Promise<Report | null> {
    await this.refresh();
    return this.reportsById.get(id) ?? null;
  }

  async reports(status: Report['status'], limit: number): Promise<Report[]> {
    await this.refresh();
    return [...this.reportsById.values()].filter((r) => r.status === status).sort((a, b) => b.id.localeCompare(a.id)).slice(0, limit);
  }

  async resolveReport(id: string, resolution: NonNullable<Report['resolution']>): Promise<Report | null> {
    const report = await this.report(id);
    if (!report) return null;
    const resolved: Report = { ...report, status: 'resolved', resolution };
    await this.append({ t: 'report', report: resolved });
    return resolved;
  }

  saveRollback(record: RollbackRecord): Promise<void> { return this.append({ t: 'rollback', record }); }

  async rollback(id: string): Promise<RollbackRecord | null> {
    await this.refresh();
    return this.rollbacks.get(id) ?? null;
  }

  async close(): Promise<void> {
    await this.writing;
    await this.file.close();
  }
}
