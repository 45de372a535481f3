// Moderation in the live store, one suite for Redis and the embedded twin: the board's state,
// the live cooldown, bans by user and address, protected areas and moderators' batches.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { colorAt, createBoard, pixelIndex } from '../domain/board-codec.ts';
import { defaultBoardStatus, type BoardStatus } from '../domain/moderation.ts';
import { batchToUpdates, decodePixelBatch } from '../protocol/pixel-batch.ts';
import type { PlaceRequest } from './board-store.ts';
import { CONTRACT_RULES, CONTRACT_SIZE, type StoreFixture } from './board-store.contract.ts';

export function describeModerationContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`${name} live moderation contract`, () => {
    let fixture: StoreFixture;
    const now = Date.now();
    let n = 0;
    const req = (over: Partial<PlaceRequest> = {}): PlaceRequest => ({ x: 1, y: 2, color: 5, userId: `m-user${++n}`, ip: `10.9.0.${n % 250}`, now, ...over });
    const store = () => fixture.store;

    beforeEach(async () => {
      fixture = await open();
      await store().restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], now);
    });
    afterEach(async () => fixture.close());

    it('is live with the configured cooldown until an admin says otherwise', async () => {
      expect(await store().boardStatus()).toEqual(defaultBoardStatus(CONTRACT_RULES.cooldownMs));
    });

    it('refuses every write while paused or ended, and until opensAt, changing nothing; tells the feed at once', async () => {
      const heard: BoardStatus[] = [];
      const sub = await store().subscribe({ onBatch: () => {}, onReset: () => {}, onResize: () => {}, onResync: () => {}, onBoardStatus: (s) => heard.push(s) });
      const paused: BoardStatus = { state: 'paused', message: 'Back at 5', opensAt: null, cooldownMs: 60_000 };
      await store().setBoardStatus(paused);
      expect(await store().place(req())).toEqual({ status: 'closed', state: 'paused', message: 'Back at 5', opensAt: null });
      await store().setBoardStatus({ ...paused, state: 'ended', message: null });
      expect(await store().place(req())).toMatchObject({ status: 'closed', state: 'ended', message: null });
      await store().setBoardStatus({ state: 'live', message: 'Opens soon', opensAt: now + 10_000, cooldownMs: 60_000 });
      expect(await store().place(req())).toEqual({ status: 'closed', state: 'live', message: 'Opens soon', opensAt: now + 10_000 });
      expect((await store().head())?.seq).toBe(0);
      expect((await store().place(req({ now: now + 10_000 }))).status).toBe('placed');
      await expect.poll(() => heard.map((s) => s.state)).toEqual(['paused', 'ended', 'live']);
      expect(heard[2]).toEqual({ state: 'live', message: 'Opens soon', opensAt: now + 10_000, cooldownMs: 60_000 });
      await sub.close();
    });

    it('measures every wait with the cooldown in force now', async () => {
      expect((await store().place(req({ userId: 'cool' })))).toMatchObject({ status: 'placed', cooldownMs: 60_000 });
      await store().setBoardStatus({ ...defaultBoardStatus(60_000), cooldownMs: 1000 });
      expect(await store().place(req({ userId: 'cool', now: now + 500 }))).toEqual({ status: 'cooldown', retryAfterMs: 500 });
      expect(await store().place(req({ userId: 'cool', now: now + 1000 }))).toMatchObject({ status: 'placed', cooldownMs: 1000 });
      await store().setBoardStatus({ ...defaultBoardStatus(60_000), cooldownMs: 30_000 });
      expect(await store().place(req({ userId: 'cool', now: now + 2000 }))).toEqual({ status: 'cooldown', retryAfterMs: 29_000 });
      expect((await store().boardStatus()).cooldownMs).toBe(30_000);
    });

    it('refuses a banned user with the ban\'s end, lets them place once it has passed, and after it is lifted', async () => {
      await store().setUserBan('vandal', { userId: 'vandal', until: now + 5000, shadow: false });
      expect(await store().place(req({ userId: 'vandal' }))).toEqual({ status: 'banned', until: now + 5000 });
      expect((await store().place(req({ userId: 'vandal', now: now + 5000 }))).status).toBe('placed');
      await store().setUserBan('forever', { userId: 'forever', until: null, shadow: false });
      expect(await store().place(req({ userId: 'forever' }))).toEqual({ status: 'banned', until: null });
      await store().setUserBan('forever', null);
      expect((await store().place(req({ userId: 'forever' }))).status).toBe('placed');
    });

    it('answers a shadow-banned user as if placed, changing nothing anyone else sees, with a cooldown for them', async () => {
      await store().setUserBan('ghost', { userId: 'ghost', until: null, shadow: true });
      const before = await store().snapshot();
      const out = await store().place(req({ userId: 'ghost', x: 3, y: 3, color: 9 }));
      expect(out).toMatchObject({ status: 'shadow', placement: { x: 3, y: 3, color: 9, userId: 'ghost', seq: 0 }, cooldownMs: 60_000 });
      expect(await store().snapshot()).toEqual(before);
      expect(await store().pendingPersistence(now + 1, 10)).toEqual([]);
      expect((await store().place(req({ userId: 'ghost', now: now + 10 }))).status).toBe('cooldown');
    });

    it('refuses addresses in a banned IPv4 or IPv6 range, and nobody else', async () => {
      await store().setIpBans([{ cidr: '198.51.100.0/24', until: null }, { cidr: '2001:db8:abcd::/48', until: now + 60_000 }, { cidr: '192.0.2.1/32', until: now - 1 }]);
      expect(await store().place(req({ ip: '198.51.100.77' }))).toEqual({ status: 'banned', until: null });
      expect(await store().place(req({ ip: '::ffff:198.51.100.8' }))).toEqual({ status: 'banned', until: null });
      expect(await store().place(req({ ip: '2001:db8:abcd:1::9' }))).toEqual({ status: 'banned', until: now + 60_000 });
      expect((await store().place(req({ ip: '2001:db8:abce::9' }))).status).toBe('placed');
      expect((await store().place(req({ ip: '198.51.101.1' }))).status).toBe('placed');
      expect((await store().place(req({ ip: '192.0.2.1' }))).status).toBe('placed'); // that ban has ended
      await store().setIpBans([]);
      expect((await store().place(req({ ip: '198.51.100.77' }))).status).toBe('placed');
    });

    it('refuses ordinary users inside a protected area and lets moderators through', async () => {
      await store().setProtectedAreas([{ name: 'logo', x0: 2, y0: 2, x1: 4, y1: 3 }]);
      for (const [x, y] of [[2, 2], [4, 3], [3, 2]] as const) expect((await store().place(req({ x, y }))).status).toBe('protected');
      for (const [x, y] of [[1, 2], [5, 3], [2, 4]] as const) expect((await store().place(req({ x, y }))).status).toBe('placed');
      await store().setRole('mod', 'moderator');
      expect((await store().place(req({ userId: 'mod', x: 3, y: 3 }))).status).toBe('placed');
      await store().setRole('mod', null);
      expect((await store().place(req({ userId: 'mod', x: 3, y: 3, now: now + 120_000 }))).status).toBe('protected');
      await store().setProtectedAreas([]);
      expect((await store().place(req({ x: 3, y: 3 }))).status).toBe('placed');
    });

    it('keeps protected areas where they were when the board grows, and moderators\' batches land in the grown board', async () => {
      const { width, height } = CONTRACT_SIZE;
      await store().setProtectedAreas([{ name: 'edge', x0: width - 2, y0: 1, x1: width - 1, y1: 1 }]);
      await store().resize({ width: width + 8, height: height + 4 });
      expect((await store().place(req({ x: width - 1, y: 1 }))).status).toBe('protected');
      for (const [x, y] of [[width, 1], [width - 3, 1], [width - 1, 2]] as const) expect((await store().place(req({ x, y }))).status).toBe('placed');
      const out = await store().placeAsModerator([{ x: width + 3, y: height + 1, color: 6 }, { x: width + 8, y: 0, color: 6 }], 'mod', now);
      expect(out.status === 'placed' && out.placements.map((p) => p?.seq ?? null)).toEqual([4, null]);
      const snap = (await store().snapshot())!;
      expect(colorAt(snap.bytes, pixelIndex(snap, width + 3, height + 1))).toBe(6);
    });

    it('accepts none of 200 concurrent writes into a protected area', async () => {
      await store().setProtectedAreas([{ name: 'all', x0: 0, y0: 0, x1: CONTRACT_SIZE.width - 1, y1: CONTRACT_SIZE.height - 1 }]);
      const out = await Promise.all(Array.from({ length: 200 }, (_, i) => store().place(req({ x: i % 20, y: i % 10, ip: `10.8.${i}.1` }))));
      expect(out.filter((o) => o.status === 'placed')).toEqual([]);
      expect((await store().head())?.seq).toBe(0);
    });

    it('places moderators\' batches as ordinary updates with their own seqs, skipping pixels whose colour changed', async () => {
      const seen: number[] = [];
      const sub = await store().subscribe({ onBatch: (b) => seen.push(...batchToUpdates(decodePixelBatch(b)).map((u) => u.seq)), onReset: () => {}, onResize: () => {}, onResync: () => {} });
      await store().setUserBan('mod', { userId: 'mod', until: null, shadow: false }); // nothing an ordinary write checks applies
      await store().setBoardStatus({ ...defaultBoardStatus(60_000), state: 'paused' });
      await store().setProtectedAreas([{ name: 'p', x0: 0, y0: 0, x1: 5, y1: 5 }]);
      const out = await store().placeAsModerator([{ x: 0, y: 0, color: 3 }, { x: 1, y: 0, color: 4, expect: 7 }, { x: 2, y: 0, color: 5, expect: 0 }], 'mod', now);
      expect(out.status).toBe('placed');
      if (out.status !== 'placed') return;
      expect(out.placements.map((p) => p?.seq ?? null)).toEqual([1, null, 2]);
      expect(out.placements[0]).toMatchObject({ x: 0, y: 0, color: 3, userId: 'mod', placedAt: now });
      expect(out.placements[2]!.version).toBeGreaterThan(out.placements[0]!.version);
      const snap = (await store().snapshot())!;
      expect([0, 1, 2].map((x) => colorAt(snap.bytes, pixelIndex(CONTRACT_SIZE, x, 0)))).toEqual([3, 0, 5]);
      expect((await store().pendingPersistence(now + 1, 10)).map((p) => p.seq)).toEqual([1, 2]);
      await expect.poll(() => seen).toEqual([1, 2]);
      const lock = (await store().tryLock('rebuild', 10_000))!;
      expect((await store().placeAsModerator([{ x: 0, y: 0, color: 1 }], 'mod', now)).status).toBe('fenced');
      await lock.release();
      await sub.close();
    });

    it('replaces everything at once on restore', async () => {
      await store().setUserBan('a', { userId: 'a', until: null, shadow: false });
      await store().setIpBans([{ cidr: '10.0.0.0/8', until: null }]);
      await store().restoreModeration({
        status: { state: 'live', message: 'hi', opensAt: null, cooldownMs: 1234 },
        areas: [{ name: 'x', x0: 0, y0: 0, x1: 0, y1: 0 }], bans: [{ userId: 'b', until: null, shadow: false }], ipBans: [], roles: [{ userId: 'm', role: 'admin' }],
      });
      expect(await store().boardStatus()).toEqual({ state: 'live', message: 'hi', opensAt: null, cooldownMs: 1234 });
      expect((await store().place(req({ userId: 'a', ip: '10.1.1.1' }))).status).toBe('placed');
      expect((await store().place(req({ userId: 'b' }))).status).toBe('banned');
      expect((await store().place(req({ x: 0, y: 0 }))).status).toBe('protected');
      expect((await store().place(req({ userId: 'm', x: 0, y: 0 }))).status).toBe('placed');
    });

    it('caps reports per user per hour', async () => {
      for (let i = 0; i < 3; i++) expect((await store().takeReportSlot('r', 3, now)).allowed).toBe(true);
      const over = await store().takeReportSlot('r', 3, now);
      expect(over.allowed).toBe(false);
      expect(over.retryAfterMs).toBeGreaterThan(0);
      expect((await store().takeReportSlot('s', 3, now)).allowed).toBe(true);
    });
  });
}
