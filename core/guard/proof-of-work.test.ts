import { describe, expect, it } from 'vitest';
import { ProofOfWork, placementsPerChallenge, readPayload } from './proof-of-work.ts';
import { EmbeddedGuardStore } from './embedded-guard-store.ts';
import { solveChallenge } from '../../test-support/pow-solver.ts';

const config = { difficulty: 2000, levelFactor: 4, every: 12, expiresMs: 60_000 };

describe('proof of work', () => {
  let now = 1_800_000_000_000;
  const pow = new ProofOfWork('secret', config, new EmbeddedGuardStore(() => now), () => now);

  it('issues ALTCHA challenges harder at each level, whose solution works once', async () => {
    expect((await pow.challenge(0)).maxnumber).toBe(2000);
    expect((await pow.challenge(2)).maxnumber).toBe(32_000);
    const solved = solveChallenge(await pow.challenge(1))!;
    expect(await pow.verify(solved.payload)).toEqual({ ok: true, level: 1 });
    expect(await pow.verify(solved.payload)).toEqual({ ok: false, problem: 'replayed' });
    // The same solution as a JSON object is the same solution.
    expect(await pow.verify(JSON.parse(Buffer.from(solved.payload, 'base64').toString()))).toEqual({ ok: false, problem: 'replayed' });
  });

  it('refuses a wrong number, a changed level or expiry, another key\'s challenge and garbage', async () => {
    const c = await pow.challenge(0);
    const good = JSON.parse(Buffer.from(solveChallenge(c)!.payload, 'base64').toString()) as Record<string, unknown>;
    expect(await pow.verify({ ...good, number: (good.number as number) + 1 })).toEqual({ ok: false, problem: 'invalid' });
    expect(await pow.verify({ ...good, salt: (good.salt as string).replace('level=0', 'level=2') })).toEqual({ ok: false, problem: 'invalid' });
    expect(await pow.verify({ ...good, salt: (good.salt as string).replace(/expires=\d+/, 'expires=9999999999') })).toEqual({ ok: false, problem: 'invalid' });
    const other = new ProofOfWork('other-secret', config, new EmbeddedGuardStore(), () => now);
    expect(await other.verify(good)).toEqual({ ok: false, problem: 'invalid' });
    for (const junk of ['', 'not base64 json', 42, null, {}, { ...good, algorithm: 'SHA-1' }]) expect(await pow.verify(junk)).toMatchObject({ ok: false });
    expect(readPayload('x'.repeat(3000))).toBeNull();
    expect(await pow.verify(good)).toEqual({ ok: true, level: 0 });
  });

  it('refuses a solution once its challenge has expired', async () => {
    const solved = solveChallenge(await pow.challenge(0))!;
    now += config.expiresMs + 1000;
    expect(await pow.verify(solved.payload)).toEqual({ ok: false, problem: 'expired' });
  });

  it('buys POW_EVERY placements for anonymous sessions at level 0, none needed signed in; one per placement at a raised level', () => {
    expect(placementsPerChallenge(pow, 0, false)).toBe(12);
    expect(placementsPerChallenge(pow, 0, true)).toBe(Infinity);
    expect(placementsPerChallenge(pow, 1, true)).toBe(1);
    expect(placementsPerChallenge(pow, 2, false)).toBe(1);
    const off = new ProofOfWork('s', { ...config, difficulty: 0 }, new EmbeddedGuardStore());
    expect(placementsPerChallenge(off, 2, false)).toBe(Infinity);
  });
});
