// One suite for every ModerationLog adapter: the file and Cassandra must behave alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveModerationState, timeId, type ModerationLog, type Report, type RollbackRecord } from './moderation-log.ts';

export interface ModerationLogFixture {
  log: ModerationLog;
  reopen(): Promise<ModerationLog>;
  close(): Promise<void>;
}

const T = 1_795_000_000_000;
const who = { by: 'admin1', at: T, reason: 'because' };

export function describeModerationLogContract(name: string, open: () => Promise<ModerationLogFixture>): void {
  describe(`${name} moderation log contract`, () => {
    let fixture: ModerationLogFixture;
    let log: ModerationLog;
    beforeEach(async () => {
      fixture = await open();
      log = fixture.log;
    });
    afterEach(async () => fixture.close());

    it('grants, lists and revokes roles, and keeps them across a restart', async () => {
      expect(await log.role('u1')).toBeNull();
      await log.setRole('u1', { userId: 'u1', role: 'admin', ...who });
      await log.setRole('u2', { userId: 'u2', role: 'moderator', ...who });
      await log.setRole('u2', null);
      log = await fixture.reopen();
      expect(await log.role('u1')).toBe('admin');
      expect(await log.role('u2')).toBeNull();
      expect(await log.roles()).toEqual([{ userId: 'u1', role: 'admin', ...who }]);
    });

    it('keeps the board state, areas, bans and address bans, and derives the live state (expired bans left out)', async () => {
      expect(await log.boardStatus()).toBeNull();
      expect((await liveModerationState(log, 5000)).status).toEqual({ state: 'live', message: null, opensAt: null, cooldownMs: 5000 });
      await log.setBoardStatus({ state: 'paused', message: 'brb', opensAt: null, cooldownMs: 1000, ...who });
      await log.putArea({ name: 'logo', x0: 1, y0: 2, x1: 3, y1: 4, ...who });
      await log.putArea({ name: 'gone', x0: 0, y0: 0, x1: 0, y1: 0, ...who });
      await log.deleteArea('gone');
      await log.putBan({ userId: 'v', until: null, shadow: true, ...who });
      await log.putBan({ userId: 'old', until: Date.now() - 1, shadow: false, ...who });
      await log.putBan({ userId: 'x', until: null, shadow: false, ...who });
      await log.deleteBan('x');
      await log.putIpBan({ cidr: '10.0.0.0/8', until: null, ...who });
      await log.putIpBan({ cidr: '2001:db8::/32', until: null, ...who });
      await log.deleteIpBan('2001:db8::/32');
      log = await fixture.reopen();
      expect(await log.boardStatus()).toEqual({ state: 'paused', message: 'brb', opensAt: null, cooldownMs: 1000, ...who });
      expect(await log.areas()).toEqual([{ name: 'logo', x0: 1, y0: 2, x1: 3, y1: 4, ...who }]);
      expect((await log.bans()).map((b) => b.userId).sort()).toEqual(['old', 'v']);
      expect((await log.ipBans()).map((b) => b.cidr)).toEqual(['10.0.0.0/8']);
      expect(await liveModerationState(log, 5000)).toEqual({
        status: { state: 'paused', message: 'brb', opensAt: null, cooldownMs: 1000 },
        areas: [{ name: 'logo', x0: 1, y0: 2, x1: 3, y1: 4 }],
        bans: [{ userId: 'v', until: null, shadow: true }],
        ipBans: [{ cidr: '10.0.0.0/8', until: null }],
        roles: [],
      });
    });

    it('appends audit entries and reads them newest first, before a time, across months', async () => {
      const month = 31 * 86_400_000;
      const entries = [0, 1, 2, 3].map((i) => ({ id: timeId(T + i * month, `e${i}`), at: T + i * month, actor: 'a', action: `act${i}`, reason: 'r', details: { i } }));
      for (const e of entries) await log.appendAudit(e);
      log = await fixture.reopen();
      expect((await log.audit(10, T + 4 * month)).map((e) => e.action)).toEqual(['act3', 'act2', 'act1', 'act0']);
      expect((await log.audit(2, T + 4 * month)).map((e) => e.action)).toEqual(['act3', 'act2']);
      expect(await log.audit(10, T + 2 * month)).toEqual([entries[1], entries[0]]);
    });

    it('queues reports, lists open and resolved ones newest first, and resolves them', async () => {
      const report = (i: number): Report => ({ id: timeId(T + i, `r${i}`), at: T + i, userId: `u${i}`, x: i, y: i, reason: 'ugly', pixel: null, status: 'open', resolution: null });
      for (const i of [1, 2, 3]) await log.addReport(report(i));
      const resolved = await log.resolveReport(report(2).id, { by: 'mod', at: T + 10, reason: 'fixed' });
      expect(resolved).toMatchObject({ status: 'resolved', resolution: { by: 'mod', reason: 'fixed' } });
      expect(await log.resolveReport('nope', { by: 'mod', at: T, reason: 'x' })).toBeNull();
      log = await fixture.reopen();
      expect((await log.reports('open', 10)).map((r) => r.id)).toEqual([report(3).id, report(1).id]);
      expect(await log.reports('resolved', 10)).toEqual([resolved]);
      expect(await log.report(report(2).id)).toEqual(resolved);
    });

    it('keeps a rollback and all its changes (saved again with its seqs, the last save wins)', async () => {
      const changes = Array.from({ length: 4500 }, (_, i) => ({ x: i % 300, y: Math.floor(i / 300), before: i % 16, after: (i + 1) % 16, seq: 0 }));
      const record: RollbackRecord = {
        id: 'rb1', kind: 'rollback', at: T, actor: 'mod', reason: 'vandal', area: { x0: 0, y0: 0, x1: 299, y1: 14 }, from: T - 1000, to: T,
        userId: 'v', undoOf: null, undoneBy: null, firstSeq: null, lastSeq: null, changes,
      };
      await log.saveRollback(record);
      const applied = { ...record, firstSeq: 10, lastSeq: 2009, changes: changes.slice(0, 2000).map((c, i) => ({ ...c, seq: 10 + i })) };
      await log.saveRollback(applied);
      log = await fixture.reopen();
      expect(await log.rollback('rb1')).toEqual(applied);
      expect(await log.rollback('nope')).toBeNull();
    });
  });
}
