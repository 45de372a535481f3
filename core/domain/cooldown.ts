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

export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
