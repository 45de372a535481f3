// Caps counted in fixed windows (per minute, per hour) reset at the window's edge, so a test that
// fills a cap must not straddle one: wait, when needed, until the current window has room.
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves once at least `needMs` remain in the current `windowMs` window (waits at most `needMs`). */
export async function withinOneWindow(windowMs: number, needMs: number, now = Date.now()): Promise<void> {
  const left = windowMs - (now % windowMs);
  if (left < needMs) await sleep(left + 5);
}
