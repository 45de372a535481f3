// Proof of work in the page: ALTCHA's own solver (altcha-lib, the same library that makes and
// checks the challenges; WebCrypto, so the page stays responsive while it works). Its widget
// would add ~36 kB and inline styles and workers our CSP does not allow, for the same work.
import { solveChallenge } from 'altcha-lib/v1';

export interface Challenge {
  algorithm: string;
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}

/** A 403 that asks for a challenge: its fresh challenge, or null. */
export function askedChallenge(status: number, body: { error?: string; challenge?: Challenge }): Challenge | null {
  return status === 403 && (body.error === 'challenge_required' || body.error === 'challenge_failed') && body.challenge ? body.challenge : null;
}

/** ALTCHA's payload (base64 JSON) for the challenge, as the service expects it in "challenge". */
export async function solve(c: Challenge): Promise<string> {
  const started = performance.now();
  const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  if (!solution) throw new Error('The challenge could not be solved.');
  const took = Math.round(performance.now() - started);
  return btoa(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: solution.number, salt: c.salt, signature: c.signature, took }));
}
