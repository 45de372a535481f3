import { describe, expect, it } from 'vitest';
import { DefenceMonitor, nextState, wantedLevel } from './defence.ts';
import { EmbeddedGuardStore } from './embedded-guard-store.ts';

const rules = { windowMs: 60_000, history: 5, minPlacements: 100, spike: 3, surge: 10, newShare: 0.8, holdMs: 600_000 };
const w = (all: number, fresh = 0) => ({ all, fresh });

describe('the defence level', () => {
  it('stays at 0 for normal play, even busy play that grew slowly', () => {
    expect(wantedLevel({ history: [w(500), w(600), w(700), w(800), w(900)], current: w(1000) }, rules)).toBe(0);
    expect(wantedLevel({ history: [], current: w(250) }, rules)).toBe(0);
  });

  it('rises to 1 on a spike against the moving average, to 2 on a surge; a quiet start counts the minimum as its average', () => {
    expect(wantedLevel({ history: [w(200), w(200), w(200), w(200), w(200)], current: w(600) }, rules)).toBe(1);
    expect(wantedLevel({ history: [w(200), w(200), w(200), w(200), w(200)], current: w(2000) }, rules)).toBe(2);
    expect(wantedLevel({ history: [], current: w(299) }, rules)).toBe(0);
    expect(wantedLevel({ history: [], current: w(300) }, rules)).toBe(1);
  });

  it('rises to 1 when new sessions place most pixels', () => {
    expect(wantedLevel({ history: [w(200), w(200)], current: w(200, 170) }, rules)).toBe(1);
    expect(wantedLevel({ history: [w(200), w(200)], current: w(200, 100) }, rules)).toBe(0);
    expect(wantedLevel({ history: [], current: w(50, 50) }, rules)).toBe(0); // too few to judge
  });

  it('goes up at once and down one level per hold time', () => {
    const up = nextState({ level: 0, since: 0 }, 2, rules, 1000);
    expect(up).toEqual({ level: 2, since: 1000 });
    expect(nextState(up, 0, rules, 1000 + rules.holdMs - 1)).toBe(up);
    const down = nextState(up, 0, rules, 1000 + rules.holdMs);
    expect(down).toEqual({ level: 1, since: 1000 + rules.holdMs });
  });

  it('a monitor raises the level every process reads from the placement counts it records', async () => {
    let now = 10 * 60_000;
    const store = new EmbeddedGuardStore(() => now);
    const monitor = new DefenceMonitor(store, rules, () => now, 0);
    for (let i = 0; i < 3 * rules.minPlacements; i++) monitor.counted(0);
    expect(await monitor.level()).toBe(1);
    expect((await store.defenceState()).level).toBe(1);
    now += rules.holdMs + 2 * 60_000;
    expect(await monitor.level()).toBe(0);
  });
});
