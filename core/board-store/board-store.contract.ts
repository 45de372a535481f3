// One suite for every BoardStore adapter: the embedded one and Redis must behave alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { colorAt, createBoard, pixelIndex } from '../domain/board-codec.ts';
import { batchToUpdates, decodePixelBatch } from '../protocol/pixel-batch.ts';
import type { BoardStore, PlaceRequest } from './board-store.ts';
import { DEFAULT_READS_PER_IP_PER_MINUTE } from './board-store.ts';

export const CONTRACT_SIZE = { width: 20, height: 10 };
export const CONTRACT_RULES = { cooldownMs: 60_000, placementsPerIp: 3 };
export const CONTRACT_KEPT = 100;

export interface StoreFixture {
  store: BoardStore;
  close(): Promise<void>;
}

/** `open` must build a store with CONTRACT_SIZE, CONTRACT_RULES, 2 sessions per IP an hour and CONTRACT_KEPT updates kept. */
export function describeBoardStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`${name} board store contract`, () => {
    let fixture: StoreFixture;
    let store: BoardStore;
    const now = Date.now();
    let n = 0;
    const req = (over: Partial<PlaceRequest> = {}): PlaceRequest =>
      ({ x: 1, y: 2, color: 5, userId: `user${++n}`, ip: `10.0.0.${n}`, now, ...over });

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => fixture.close());

    it('has no board until one is restored, and refuses writes meanwhile', async () => {
      expect(await store.snapshot()).toBeNull();
      expect(await store.head()).toBeNull();
      expect((await store.place(req())).status).toBe('no_board');
    });

    it('a restored empty board is all colour 0 at seq 0', async () => {
      await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], now);
      const snap = await store.snapshot();
      expect(snap?.seq).toBe(0);
      expect(Array.from(snap!.bytes)).toEqual(Array.from(createBoard(CONTRACT_SIZE)));
    });

    describe('with a board', () => {
      beforeEach(async () => store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], now));

      it('places a pixel with seq 1, then 2, and the snapshot shows both', async () => {
        const a = await store.place(req({ x: 0, y: 0, color: 7 }));
        const b = await store.place(req({ x: 19, y: 9, color: 15 }));
        expect(a.status === 'placed' && a.placement.seq).toBe(1);
        expect(b.status === 'placed' && b.placement.seq).toBe(2);
        const snap = (await store.snapshot())!;
        expect(snap.seq).toBe(2);
        expect(colorAt(snap.bytes, 0)).toBe(7);
        expect(colorAt(snap.bytes, pixelIndex(CONTRACT_SIZE, 19, 9))).toBe(15);
      });

      it('gives placements versions that grow with seq', async () => {
        const a = await store.place(req({ now: now + 10 }));
        const b = await store.place(req({ now: now - 10_000 }));
        if (a.status !== 'placed' || b.status !== 'placed') throw new Error('not placed');
        expect(b.placement.version).toBeGreaterThan(a.placement.version);
      });

      it('rejects a second write within the cooldown and changes nothing', async () => {
        await store.place(req({ userId: 'alice', color: 3 }));
        const before = await store.snapshot();
        const second = await store.place(req({ userId: 'alice', x: 5, color: 9, now: now + 1000 }));
        expect(second).toEqual({ status: 'cooldown', retryAfterMs: expect.any(Number) });
        if (second.status === 'cooldown') expect(second.retryAfterMs).toBeGreaterThan(50_000);
        expect(await store.snapshot()).toEqual(before);
      });

      it('caps placements per IP and leaves the user without a cooldown when capped', async () => {
        for (let i = 0; i < 3; i++) expect((await store.place(req({ ip: '1.1.1.1' }))).status).toBe('placed');
        expect((await store.place(req({ ip: '1.1.1.1', userId: 'bob' }))).status).toBe('ip_limited');
        expect((await store.place(req({ ip: '2.2.2.2', userId: 'bob' }))).status).toBe('placed');
      });

      it('counts the addresses of one IPv6 /64 as one address for the cap', async () => {
        for (let i = 1; i <= 3; i++) expect((await store.place(req({ ip: `2001:db8:0:1::${i}` }))).status).toBe('placed');
        expect((await store.place(req({ ip: '2001:db8:0:1:ffff::9' }))).status).toBe('ip_limited');
        expect((await store.place(req({ ip: '2001:db8:0:2::1' }))).status).toBe('placed');
      });

      it('counts an address per clock window of the cooldown: the capped write waits exactly until it ends, then places', async () => {
        const edge = Math.ceil(now / CONTRACT_RULES.cooldownMs) * CONTRACT_RULES.cooldownMs;
        for (let i = 0; i < 3; i++) expect((await store.place(req({ ip: '3.3.3.3', now: edge - 5000 + i }))).status).toBe('placed');
        expect(await store.place(req({ ip: '3.3.3.3', now: edge - 4000 }))).toEqual({ status: 'ip_limited', retryAfterMs: 4000 });
        expect((await store.place(req({ ip: '3.3.3.3', now: edge }))).status).toBe('placed');
      });

      it('remembers placements across many calls and users: each user waits, the others place', async () => {
        const users = Array.from({ length: 40 }, (_, i) => `many${i}`);
        const first = await Promise.all(users.map((userId, i) => store.place(req({ userId, ip: `10.1.${i}.1`, x: i % 20, y: 0 }))));
        expect(first.map((o) => o.status)).toEqual(users.map(() => 'placed'));
        // The same users again, in one go (a batch on Redis), with a new user among them.
        const again = await Promise.all([...users, 'newcomer'].map((userId, i) => store.place(req({ userId, ip: `10.2.${i}.1`, now: now + 1000 }))));
        expect(again.map((o) => o.status)).toEqual([...users.map(() => 'cooldown'), 'placed']);
        expect(await store.cooldownStart('many7')).toBe(now);
      });

      it('returns the updates after a seq as one consecutive batch', async () => {
        for (let i = 0; i < 5; i++) await store.place(req({ x: i, color: i }));
        const since = await store.updatesSince(2, 1000);
        expect(since.status).toBe('ok');
        if (since.status !== 'ok') return;
        expect(batchToUpdates(decodePixelBatch(since.batch))).toEqual([
          { seq: 3, x: 2, y: 2, color: 2 }, { seq: 4, x: 3, y: 2, color: 3 }, { seq: 5, x: 4, y: 2, color: 4 },
        ]);
        expect(since.lastSeq).toBe(5);
        const limited = await store.updatesSince(0, 2);
        expect(limited.status === 'ok' && limited.lastSeq).toBe(2);
        const none = await store.updatesSince(5, 1000);
        expect(none.status === 'ok' && decodePixelBatch(none.batch)).toMatchObject({ firstSeq: 6, count: 0 });
        expect((await store.updatesSince(6, 1000)).status).toBe('gone');
      });

      it('returns every run of updates exactly, from any seq and with any limit, when writes placed together share a call', async () => {
        // Redis keeps a call's placements as one stream entry: a run may start or end inside one.
        const together = await Promise.all(Array.from({ length: 12 }, (_, i) => store.place(req({ x: i, y: 3, color: i % 16 }))));
        const alone = [];
        for (let i = 0; i < 3; i++) alone.push(await store.place(req({ x: i, y: 4, color: 15 - i })));
        const placed = [...together, ...alone].map((o) => (o.status === 'placed' ? o.placement : null));
        const all = placed.map((p) => ({ seq: p!.seq, x: p!.x, y: p!.y, color: p!.color })).sort((a, b) => a.seq - b.seq);
        expect(all.map((u) => u.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
        for (let since = 0; since <= 15; since++) {
          for (const limit of [1, 5, 1000]) {
            const answer = await store.updatesSince(since, limit);
            expect(answer.status).toBe('ok');
            if (answer.status !== 'ok') return;
            const expected = all.slice(since, since + limit);
            expect(batchToUpdates(decodePixelBatch(answer.batch))).toEqual(expected);
            expect(answer.lastSeq).toBe(since + expected.length);
          }
        }
      });

      it('answers gone for a seq older than the kept window', async () => {
        for (let i = 0; i < CONTRACT_KEPT * 3; i++) await store.place(req({ x: i % 20, color: i % 16 }));
        expect((await store.updatesSince(0, 1000)).status).toBe('gone');
        const recent = await store.updatesSince(CONTRACT_KEPT * 3 - 10, 1000);
        expect(recent.status === 'ok' && decodePixelBatch(recent.batch).count).toBe(10);
      });

      it('publishes every placement on the feed in seq order', async () => {
        const seen: number[] = [];
        const sub = await store.subscribe({ onBatch: (b) => seen.push(...batchToUpdates(decodePixelBatch(b)).map((u) => u.seq)), onReset: () => {}, onResize: () => {}, onResync: () => {} });
        for (let i = 0; i < 20; i++) await store.place(req({ x: i % 20 }));
        await expect.poll(() => seen.length).toBe(20);
        expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        await sub.close();
      });

      it('keeps a placement pending until it is marked persisted', async () => {
        const placed = await store.place(req());
        if (placed.status !== 'placed') throw new Error('not placed');
        expect(await store.pendingPersistence(now + 1, 10)).toEqual([placed.placement]);
        expect(await store.pendingPersistence(now, 10)).toEqual([]);
        const next = await store.place(req());
        expect(next.status === 'placed' && next.oldestPendingAt).toBe(now);
        await store.markPersisted(placed.placement);
        expect((await store.pendingPersistence(now + 1, 10)).map((p) => p.seq)).toEqual([2]);
      });

      it('caps session creation per IP in any hour, across a clock hour\'s edge too', async () => {
        const edge = Math.ceil(now / 3_600_000) * 3_600_000;
        expect((await store.takeSessionSlot('9.9.9.9', edge - 2)).allowed).toBe(true);
        expect((await store.takeSessionSlot('9.9.9.9', edge - 1)).allowed).toBe(true);
        expect(await store.takeSessionSlot('9.9.9.9', edge + 1)).toEqual({ allowed: false, retryAfterMs: 3_600_000 - 1 });
        expect((await store.takeSessionSlot('8.8.8.8', edge + 1)).allowed).toBe(true);
        expect((await store.takeSessionSlot('9.9.9.9', edge + 3_600_000 - 1)).allowed).toBe(false);
        expect((await store.takeSessionSlot('9.9.9.9', edge + 3_600_000)).allowed).toBe(true);
      });

      it('caps update reads per IP in any minute, across a clock minute\'s edge too', async () => {
        const edge = Math.ceil(now / 60_000) * 60_000;
        let admitted = 0;
        for (let i = 0; i < 200; i++) if ((await store.takeReadSlot('7.7.7.7', edge - 100 + i)).allowed) admitted++;
        expect(admitted).toBe(DEFAULT_READS_PER_IP_PER_MINUTE);
      });

      it('restores cooldowns that are still running', async () => {
        const board = createBoard(CONTRACT_SIZE);
        await store.restore({ board, seq: 41, version: 99 }, [{ userId: 'carol', placedAt: Date.now() - 1000 }], Date.now());
        expect((await store.place(req({ userId: 'carol' }))).status).toBe('cooldown');
        const placed = await store.place(req({ userId: 'dave' }));
        expect(placed.status === 'placed' && placed.placement.seq).toBe(42);
        expect(await store.cooldownStart('dave')).toBe(now);
      });

      it('lets one process at a time hold the rebuild lock', async () => {
        const lock = await store.tryLock('rebuild', 10_000);
        expect(lock).not.toBeNull();
        expect(await store.tryLock('rebuild', 10_000)).toBeNull();
        await lock!.release();
        expect(await store.tryLock('rebuild', 10_000)).not.toBeNull();
      });

      it('a lock that runs out can be taken by another, and its first holder can no longer renew or release it', async () => {
        const first = (await store.tryLock('drain', 50))!;
        expect(await first.renew(50)).toBe(true);
        await new Promise((r) => setTimeout(r, 120));
        const second = await store.tryLock('drain', 10_000);
        expect(second).not.toBeNull();
        expect(await first.renew(10_000)).toBe(false);
        await first.release();
        expect(await store.tryLock('drain', 10_000)).toBeNull();
      });

      it('tells a lease\'s follower how long the holder has left, so it can wait instead of asking again', async () => {
        const first = await store.tryLease('publish', 10_000);
        expect(first.lease).not.toBeNull();
        const second = await store.tryLease('publish', 10_000);
        expect(second.lease).toBeNull();
        expect(second.heldForMs).toBeGreaterThan(8_000);
        expect(second.heldForMs).toBeLessThanOrEqual(10_000);
        await first.lease!.release();
        expect((await store.tryLease('publish', 10_000)).lease).not.toBeNull();
      });

      it('tells every process listening when a holder lets go of a lease, and not when a lease it lost is released', async () => {
        const heard: string[] = [];
        const stop = store.onLeaseReleased((name) => heard.push(name));
        // The listener's subscription may still be on its way: release until it hears one.
        for (let i = 0; i < 250 && heard.length === 0; i++) {
          await (await store.tryLease('publish', 10_000)).lease?.release();
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(new Set(heard)).toEqual(new Set(['publish']));
        const stale = (await store.tryLease('publish', 50)).lease!;
        await new Promise((r) => setTimeout(r, 120));
        const current = (await store.tryLease('publish', 10_000)).lease!;
        heard.length = 0;
        await stale.release(); // a paused process letting go of what it no longer holds
        await new Promise((r) => setTimeout(r, 100));
        expect(heard).toEqual([]);
        expect((await store.tryLease('publish', 10_000)).lease).toBeNull();
        stop();
        await current.release();
      });

      it('fences writes while the rebuild lock is held, changing nothing, and lets them through once it is released', async () => {
        const before = await store.snapshot();
        const lock = (await store.tryLock('rebuild', 10_000))!;
        const fenced = await store.place(req());
        expect(fenced.status).toBe('fenced');
        if (fenced.status === 'fenced') expect(fenced.retryAfterMs).toBeGreaterThan(0);
        expect(await store.snapshot()).toEqual(before);
        const other = (await store.tryLock('drain', 10_000))!;
        await lock.release();
        expect((await store.place(req())).status).toBe('placed');
        await other.release();
      });

      it('gives every restore a new epoch, even at the same seq, and tells the feed', async () => {
        const resets: [number, number][] = [];
        const sub = await store.subscribe({ onBatch: () => {}, onReset: (epoch, seq) => resets.push([epoch, seq]), onResize: () => {}, onResync: () => {} });
        const first = (await store.head())!;
        const again = await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], now);
        expect(again.seq).toBe(first.seq);
        expect(again.epoch).not.toBe(first.epoch);
        expect(await store.head()).toEqual(again);
        expect((await store.snapshot())?.epoch).toBe(again.epoch);
        await expect.poll(() => resets).toEqual([[again.epoch, 0]]);
        await sub.close();
      });

      it('answers a repeated idempotency key with the original placement, placing nothing more', async () => {
        const first = await store.place(req({ userId: 'ivy', idempotencyKey: 'k1', x: 4, y: 4, color: 4 }));
        if (first.status !== 'placed') throw new Error('not placed');
        const retry = await store.place(req({ userId: 'ivy', idempotencyKey: 'k1', x: 4, y: 4, color: 4, now: now + 5 }));
        expect(retry).toEqual({ status: 'duplicate', placement: first.placement });
        expect((await store.head())?.seq).toBe(first.placement.seq);
        // A key belongs to its user: another user's write with the same key is its own.
        expect((await store.place(req({ userId: 'jon', idempotencyKey: 'k1' }))).status).toBe('placed');
        // A new key from the same user is a new write, refused by the cooldown.
        expect((await store.place(req({ userId: 'ivy', idempotencyKey: 'k2' }))).status).toBe('cooldown');
        // From an IPv6 address, and a key with a '%' and a non-ASCII character.
        const v6 = await store.place(req({ userId: 'ívar', ip: '2001:db8::7', idempotencyKey: 'k%d-é' }));
        expect(v6.status).toBe('placed');
        expect(await store.place(req({ userId: 'ívar', ip: '2001:db8::7', idempotencyKey: 'k%d-é', now: now + 5 }))).toEqual({ status: 'duplicate', placement: v6.status === 'placed' ? v6.placement : null });
      });

      it('answers a late retry with its first answer after the user placed again, and a key only within its 5 minutes', async () => {
        const first = await store.place(req({ userId: 'kim', idempotencyKey: 'k1', x: 4, y: 4, color: 4 }));
        if (first.status !== 'placed') throw new Error('not placed');
        expect(await store.cooldownStart('kim')).toBe(now);
        // The cooldown (60 s) is over: a new key places; then a retry of the first still gets its answer.
        const second = await store.place(req({ userId: 'kim', idempotencyKey: 'k2', x: 5, y: 5, color: 6, now: now + 61_000 }));
        if (second.status !== 'placed') throw new Error('not placed');
        expect(await store.place(req({ userId: 'kim', idempotencyKey: 'k1', x: 4, y: 4, color: 4, now: now + 62_000 })))
          .toEqual({ status: 'duplicate', placement: first.placement });
        expect(await store.place(req({ userId: 'kim', idempotencyKey: 'k2', x: 5, y: 5, color: 6, now: now + 63_000 })))
          .toEqual({ status: 'duplicate', placement: second.placement });
        // A write without a key replaces the user's last placement too; both keys still answer.
        const third = await store.place(req({ userId: 'kim', x: 6, y: 6, color: 7, now: now + 125_000 }));
        expect(third.status).toBe('placed');
        expect((await store.place(req({ userId: 'kim', idempotencyKey: 'k2', now: now + 126_000 }))).status).toBe('duplicate');
        expect((await store.place(req({ userId: 'kim', idempotencyKey: 'k1', now: now + 127_000 }))).status).toBe('duplicate');
        expect((await store.head())?.seq).toBe(third.status === 'placed' ? third.placement.seq : -1);
        // Five minutes after its placement a key is spent: the same key places anew (the cooldown is over).
        expect((await store.place(req({ userId: 'kim', idempotencyKey: 'k1', now: now + 300_001 }))).status).toBe('placed');
        expect((await store.place(req({ userId: 'kim', idempotencyKey: 'k2', now: now + 350_000 }))).status).toBe('duplicate');
        expect((await store.place(req({ userId: 'kim', idempotencyKey: 'k2', now: now + 361_001 }))).status).toBe('placed');
      });

      it('refuses sessions issued at or before a revocation, theirs or everyone\'s, and no others', async () => {
        await store.revokeSessions('mallory', now - 1000);
        expect((await store.place(req({ userId: 'mallory', sessionIssuedAt: now - 2000 }))).status).toBe('revoked');
        expect(await store.sessionsRevokedAt('mallory')).toBe(now - 1000);
        expect((await store.place(req({ userId: 'mallory', sessionIssuedAt: now - 500 }))).status).toBe('placed');
        expect((await store.place(req({ userId: 'nina', sessionIssuedAt: now - 2000 }))).status).toBe('placed');
        await store.revokeSessions(null, now - 100);
        expect((await store.place(req({ userId: 'oscar', sessionIssuedAt: now - 200 }))).status).toBe('revoked');
        expect(await store.sessionsRevokedAt('oscar')).toBe(now - 100);
        expect((await store.place(req({ userId: 'oscar', sessionIssuedAt: now }))).status).toBe('placed');
      });

      it('grows the board keeping every pixel, the seq and the epoch, tells the feed, and takes writes in the new area', async () => {
        const resizes: [number, number, number][] = [];
        const sub = await store.subscribe({ onBatch: () => {}, onReset: () => {}, onResize: (w, h, seq) => resizes.push([w, h, seq]), onResync: () => {} });
        await store.place(req({ x: 19, y: 9, color: 11 }));
        const before = (await store.head())!;
        expect(before).toMatchObject({ ...CONTRACT_SIZE, seq: 1 });
        const beyond = await store.place(req({ x: 25, y: 1 }));
        expect(beyond).toEqual({ status: 'out_of_bounds', ...CONTRACT_SIZE });
        const grown = await store.resize({ width: 30, height: 16 });
        expect(grown).toEqual({ seq: 1, epoch: before.epoch, width: 30, height: 16 });
        expect(await store.head()).toEqual(grown);
        const snap = (await store.snapshot())!;
        expect(snap.bytes.length).toBe(30 * 16 / 2);
        expect(colorAt(snap.bytes, pixelIndex({ width: 30, height: 16 }, 19, 9))).toBe(11);
        await expect.poll(() => resizes).toEqual([[30, 16, 1]]);
        const placed = await store.place(req({ x: 29, y: 15, color: 3 }));
        expect(placed.status === 'placed' && placed.placement.seq).toBe(2);
        expect(await store.place(req({ x: 30, y: 0 }))).toEqual({ status: 'out_of_bounds', width: 30, height: 16 });
        await sub.close();
      });

      it('refuses to shrink the board or to pass the largest size, changing nothing', async () => {
        await store.place(req({ x: 19, y: 9, color: 11 }));
        const before = await store.snapshot();
        await expect(store.resize({ width: 19, height: 20 })).rejects.toMatchObject({ name: 'BadRequestError', code: 'invalid_size' });
        await expect(store.resize({ width: 5000, height: 20 })).rejects.toMatchObject({ name: 'BadRequestError', code: 'invalid_size' });
        expect(await store.snapshot()).toEqual(before);
      });

      it('remembers the newest published board for every process', async () => {
        expect(await store.published()).toBeNull();
        const board = { seq: 3, epoch: 9, width: 20, height: 10, path: '/boards/9/3-20x10.bin', pngPath: null, at: 5, pngAt: null };
        await store.setPublished(board);
        expect(await store.published()).toEqual(board);
      });

      it('a restore makes the board the size it is given', async () => {
        const board = createBoard({ width: 40, height: 12 });
        const head = await store.restore({ board, seq: 5, version: 1, size: { width: 40, height: 12 } }, [], now);
        expect(head).toMatchObject({ seq: 5, width: 40, height: 12 });
        expect((await store.snapshot())!.bytes.length).toBe(240);
        expect((await store.place(req({ x: 39, y: 11 }))).status).toBe('placed');
      });
    });
  });
}
