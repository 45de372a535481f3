// Proof of work with ALTCHA (altcha-lib, classic v1 protocol: the shape the HTTP API documents
// and ALTCHA's widget and solver speak). The library signs and checks challenges but keeps no
// state: single use (the signature is spent in the guard store until the challenge expires) and
// a mandatory expiry are ours. The defence level a challenge was made for is in its signed salt.
import { createHmac } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { Payload } from 'altcha-lib/v1/types';
import { z } from 'zod';
import type { ProofOfWorkConfig } from '../guard-config.ts';
import type { DefenceLevel, GuardStore } from './guard-store.ts';

export interface PowChallenge {
  algorithm: string;
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}

export type PowCheck =
  | { ok: true; level: DefenceLevel }
  | { ok: false; problem: 'malformed' | 'invalid' | 'expired' | 'replayed' };

const payloadSchema = z.object({
  algorithm: z.enum(['SHA-256']),
  challenge: z.string().regex(/^[0-9a-f]{64}$/),
  number: z.number().int().min(0),
  salt: z.string().max(200),
  signature: z.string().regex(/^[0-9a-f]{64}$/),
  took: z.number().optional(),
});

/** A solution as sent: ALTCHA's base64 JSON payload (what its widget posts) or that JSON itself. */
export function readPayload(value: unknown): Payload | null {
  let v = value;
  if (typeof v === 'string') {
    if (v.length > 2000) return null;
    try {
      v = JSON.parse(Buffer.from(v, 'base64').toString('utf8'));
    } catch {
      return null;
    }
  }
  const parsed = payloadSchema.safeParse(v);
  return parsed.success ? { ...parsed.data } : null;
}

export class ProofOfWork {
  private readonly hmacKey: string;

  constructor(secret: string, readonly config: ProofOfWorkConfig, private readonly store: GuardStore, private readonly clock: () => number = Date.now) {
    // Its own key, derived from the session secret: a challenge signature is never a session signature.
    this.hmacKey = createHmac('sha256', secret).update('altcha-challenge').digest('hex');
  }

  get enabled(): boolean {
    return this.config.difficulty > 0;
  }

  /** ALTCHA's maxnumber at a level: a solver tries half of it on average, one SHA-256 each. */
  difficulty(level: DefenceLevel): number {
    return Math.min(this.config.difficulty * this.config.levelFactor ** level, 1e9);
  }

  async challenge(level: DefenceLevel): Promise<PowChallenge> {
    const c = await createChallenge({
      hmacKey: this.hmacKey, algorithm: 'SHA-256', maxNumber: this.difficulty(level),
      expires: new Date(this.clock() + this.config.expiresMs), params: { level: String(level) },
    });
    return { algorithm: c.algorithm, challenge: c.challenge, salt: c.salt, signature: c.signature, maxnumber: c.maxnumber ?? this.difficulty(level) };
  }

  /** Checks a solution and spends it: a second use of the same solution is 'replayed'. */
  async verify(value: unknown): Promise<PowCheck> {
    const payload = readPayload(value);
    if (!payload) return { ok: false, problem: 'malformed' };
    const params = extractParams(payload);
    const expires = Number(params.expires);
    const level = Number(params.level);
    // A challenge without an expiry would never expire: only ours carry one (in the signed salt).
    if (!Number.isInteger(expires) || ![0, 1, 2].includes(level)) return { ok: false, problem: 'invalid' };
    if (!(await verifySolution(payload, this.hmacKey, false))) return { ok: false, problem: 'invalid' };
    if (expires * 1000 < this.clock()) return { ok: false, problem: 'expired' };
    if (!(await this.store.spendOnce(`pow:${payload.signature}`, expires * 1000))) return { ok: false, problem: 'replayed' };
    return { ok: true, level: level as DefenceLevel };
  }
}

/**
 * How many placements one solved challenge buys: at level 0 an anonymous session is asked again
 * every POW_EVERY placements (0: never) and a signed-in one never; at a raised level everyone
 * solves one per placement. Infinity: no challenge needed.
 */
export function placementsPerChallenge(pow: ProofOfWork, level: DefenceLevel, signedIn: boolean): number {
  if (!pow.enabled) return Infinity;
  if (level > 0) return 1;
  if (signedIn || pow.config.every === 0) return Infinity;
  return pow.config.every;
}
