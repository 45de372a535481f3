// Cooldown rules: one placement per user per cooldown period, and a cap of placements per
// client IP per period (several people may share one address, so the cap is above 1).

export interface CooldownRules {
  cooldownMs: number;
  /** Placements one IP may make within one cooldown period. */
  placementsPerIp: number;
}

export function nextAllowedAt(lastPlacedAt: number | null, rules: CooldownRules): number {
  return lastPlacedAt === null ? 0 : lastPlacedAt + rules.cooldownMs;
}

/**
 * The address cap's window: the cooldown in force (at least 1 s), counted per clock window of
 * that length, so every writer counts into the same window without asking when it began (the
 * write script's address counts mirror this). Like any fixed window, up to twice the cap may
 * pass across a window's end.
 */
export function addressWindow(now: number, cooldownMs: number): { lengthMs: number; index: number; endsAt: number } {
  const lengthMs = Math.max(cooldownMs, 1000);
  const index = Math.floor(now / lengthMs);
  return { lengthMs, index, endsAt: (index + 1) * lengthMs };
}

export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
