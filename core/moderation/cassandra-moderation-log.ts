// Moderation's record in Cassandra / Amazon Keyspaces (tables in core/pixel-log/cassandra-schema.ts,
// MODERATION_TABLES). Every read names its partition: a kind of record, a month of the audit log,
// a report queue, a rollback.
import type cassandra from 'cassandra-driver';
import type { CassandraConfig } from '../config.ts';
import { StoreUnavailableError } from '../errors.ts';
import { reportFailure } from '../observability/telemetry.ts';
import { createCassandraClient } from '../pixel-log/cassandra-client.ts';
import type { BoardStatus, Role } from '../domain/moderation.ts';
import { packChanges, unpackChanges, type AreaRecord, type AuditEntry, type BanRecord, type IpBanRecord, type ModerationLog, type Provenance, type Report, type RoleRecord, type RollbackRecord } from './moderation-log.ts';

const CHUNK = 2000;
const month = (at: number) => { const d = new Date(at); return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1; };

export class CassandraModerationLog implements ModerationLog {
  private constructor(private readonly client: cassandra.Client) {}

  static async connect(config: CassandraConfig): Promise<CassandraModerationLog> {
    const client = await createCassandraClient(config, true);
    try {
      await client.connect();
    } catch (err) {
      await client.shutdown().catch((shutdownErr: unknown) => reportFailure('cassandra-shutdown', shutdownErr));
      throw new StoreUnavailableError(`cannot reach Cassandra at ${config.contactPoints.join(',')}: ${(err as Error).message}`, { cause: err, store: 'cassandra' });
    }
    return new CassandraModerationLog(client);
  }

  private async run(what: string, query: string, params: unknown[]): Promise<cassandra.types.ResultSet> {
    try {
      return await this.client.execute(query, params, { prepare: true });
    } catch (err) {
      throw new StoreUnavailableError(`Cassandra ${what} failed: ${(err as Error).message}`, { cause: err, store: 'cassandra' });
    }
  }

  private async all<T>(kind: string): Promise<T[]> {
    const rs = await this.run('moderation read', 'SELECT body FROM moderation_state WHERE kind = ?', [kind]);
    return rs.rows.map((r) => JSON.parse(r.get('body') as string) as T);
  }

  private async one<T>(kind: string, item: string): Promise<T | null> {
    const rs = await this.run('moderation read', 'SELECT body FROM moderation_state WHERE kind = ? AND item = ?', [kind, item]);
    const body = rs.first()?.get('body') as string | undefined;
    return body === undefined ? null : (JSON.parse(body) as T);
  }

  private async put(kind: string, item: string, body: unknown): Promise<void> {
    await this.run('moderation write', 'INSERT INTO moderation_state (kind, item, body) VALUES (?, ?, ?)', [kind, item, JSON.stringify(body)]);
  }

  private async del(kind: string, item: string): Promise<void> {
    await this.run('moderation write', 'DELETE FROM moderation_state WHERE kind = ? AND item = ?', [kind, item]);
  }

  async role(userId: string): Promise<Role | null> { return (await this.one<RoleRecord>('role', userId))?.role ?? null; }
  roles(): Promise<RoleRecord[]> { return this.all('role'); }
  setRole(userId: string, record: RoleRecord | null): Promise<void> { return record ? this.put('role', userId, record) : this.del('role', userId); }
  boardStatus(): Promise<(BoardStatus & Provenance) | null> { return this.one('board', 'status'); }
  setBoardStatus(status: BoardStatus & Provenance): Promise<void> { return this.put('board', 'status', status); }
  areas(): Promise<AreaRecord[]> { return this.all('area'); }
  putArea(area: AreaRecord): Promise<void> { return this.put('area', area.name, area); }
  deleteArea(name: string): Promise<void> { return this.del('area', name); }
  bans(): Promise<BanRecord[]> { return this.all('ban'); }
  putBan(ban: BanRecord): Promise<void> { return this.put('ban', ban.userId, ban); }
  deleteBan(userId: string): Promise<void> { return this.del('ban', userId); }
  ipBans(): Promise<IpBanRecord[]> { return this.all('ip-ban'); }
  putIpBan(ban: IpBanRecord): Promise<void> { return this.put('ip-ban', ban.cidr, ban); }
  deleteIpBan(cidr: string): Promise<void> { return this.del('ip-ban', cidr); }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const m = month(entry.at);
    await this.run('audit write', 'INSERT INTO audit_log (month, at, id, body) VALUES (?, ?, ?, ?)', [m, new Date(entry.at), entry.id, JSON.stringify(entry)]);
    // The months that have entries, so a read walks back through those only.
    await this.put('audit-month', String(m), m);
  }

  async audit(limit: number, before: number): Promise<AuditEntry[]> {
    const months = (await this.all<number>('audit-month')).filter((m) => m <= month(before)).sort((a, b) => b - a);
    const out: AuditEntry[] = [];
    for (const m of months) {
      if (out.length >= limit) break;
      const rs = await this.run('audit read', 'SELECT body FROM audit_log WHERE month = ? AND at < ? LIMIT ?', [m, new Date(before), limit - out.length]);
      out.push(...rs.rows.map((r) => JSON.parse(r.get('body') as string) as AuditEntry));
    }
    return out;
  }

  async addReport(report: Report): Promise<void> {
    await this.run('report write', 'INSERT INTO reports (queue, id, body) VALUES (?, ?, ?)', [report.status, report.id, JSON.stringify(report)]);
  }

  async report(id: string): Promise<Report | null> {
    for (const queue of ['open', 'resolved']) {
      const rs = await this.run('report read', 'SELECT body FROM reports WHERE queue = ? AND id = ?', [queue, id]);
      const body = rs.first()?.get('body') as string | undefined;
      if (body) return JSON.parse(body) as Report;
    }
    return null;
  }

  async reports(status: Report['status'], limit: number): Promise<Report[]> {
    const rs = await this.run('report read', 'SELECT body FROM reports WHERE queue = ? LIMIT ?', [status, limit]);
    return rs.rows.map((r) => JSON.parse(r.get('body') as string) as Report);
  }

  async resolveReport(id: string, resolution: NonNullable<Report['resolution']>): Promise<Report | null> {
    const report = await this.report(id);
    if (!report) return null;
    const resolved: Report = { ...report, status: 'resolved', resolution };
    // Into the resolved queue first: a failure between the two leaves it in both, never in neither.
    await this.addReport(resolved);
    await this.run('report write', 'DELETE FROM reports WHERE queue = ? AND id = ?', ['open', id]);
    return resolved;
  }

  async saveRollback(record: RollbackRecord): Promise<void> {
    const { changes, ...meta } = record;
    await this.run('rollback write', 'INSERT INTO rollbacks (rollback_id, chunk, meta) VALUES (?, ?, ?)', [record.id, -1, JSON.stringify({ ...meta, chunks: Math.ceil(changes.length / CHUNK) })]);
    for (let i = 0; i * CHUNK < changes.length; i++) {
      await this.run('rollback write', 'INSERT INTO rollbacks (rollback_id, chunk, changes) VALUES (?, ?, ?)', [record.id, i, packChanges(changes.slice(i * CHUNK, (i + 1) * CHUNK))]);
    }
  }

  async rollback(id: string): Promise<RollbackRecord | null> {
    const rs = await this.run('rollback read', 'SELECT chunk, meta, changes FROM rollbacks WHERE rollback_id = ?', [id]);
    const metaRow = rs.rows.find((r) => r.get('chunk') === -1);
    if (!metaRow) return null;
    const meta = JSON.parse(metaRow.get('meta') as string) as Omit<RollbackRecord, 'changes'> & { chunks: number };
    const chunks = rs.rows.filter((r) => (r.get('chunk') as number) >= 0 && (r.get('chunk') as number) < meta.chunks);
    const { chunks: _count, ...rest } = meta;
    return { ...rest, changes: chunks.flatMap((r) => unpackChanges(r.get('changes') as Buffer)) };
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }
}
