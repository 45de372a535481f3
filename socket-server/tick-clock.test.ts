import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TickClock } from './tick-clock.ts';

describe('TickClock', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }); });
  afterEach(() => { vi.useRealTimers(); });

  /** A clock whose tick sends a frame whenever `ready` is set, recording when ticks ran. */
  const clock = (tickMs: number) => {
    const state = { ready: false, frames: [] as number[], ticks: 0 };
    const c = new TickClock(tickMs, () => {
      state.ticks++;
      if (!state.ready) return false;
      state.ready = false;
      state.frames.push(performance.now());
      return true;
    });
    return { c, state };
  };

  it('sends updates that arrive after an empty tick at once, not a whole tick later', () => {
    const { c, state } = clock(50);
    c.start();
    vi.advanceTimersByTime(50); // an empty tick at t=50: the next is due at t=100
    expect(state.ticks).toBe(1);
    vi.advanceTimersByTime(10);
    state.ready = true;
    c.wake();
    vi.advanceTimersByTime(1);
    expect(state.frames).toEqual([60]);
    c.stop();
  });

  it('sends at most one frame per tickMs: updates right after a frame wait for the tick due', () => {
    const { c, state } = clock(50);
    c.start();
    vi.advanceTimersByTime(20);
    state.ready = true;
    c.wake(); // frame at t=20
    vi.advanceTimersByTime(10);
    state.ready = true;
    c.wake(); // at t=30: the next frame may go at t=70, not before
    vi.advanceTimersByTime(39);
    expect(state.frames).toEqual([20]);
    vi.advanceTimersByTime(1);
    expect(state.frames).toEqual([20, 70]);
    c.stop();
  });

  it('does nothing once stopped', () => {
    const { c, state } = clock(50);
    c.start();
    c.stop();
    state.ready = true;
    c.wake();
    vi.advanceTimersByTime(500);
    expect(state.ticks).toBe(0);
  });
});
