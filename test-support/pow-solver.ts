// Solves an ALTCHA (v1) challenge in Node, as a scripted client would: SHA-256(salt + n) for
// n = 0, 1, … until it equals the challenge. Synchronous node:crypto, so it is as fast as a bot's.
import { createHash } from 'node:crypto';
import type { Challenge } from '../web/challenge.ts';

// The page's type: a test client solves exactly what the page is given.
export type { Challenge };

/** ALTCHA's payload: base64 JSON {algorithm, challenge, number, salt, signature}; null if not solvable. */
export function solveChallenge(c: Challenge): { payload: string; number: number } | null {
  for (let n = 0; n <= c.maxnumber; n++) {
    if (createHash('sha256').update(c.salt + n).digest('hex') === c.challenge) {
      const payload = Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature })).toString('base64');
      return { payload, number: n };
    }
  }
  return null;
}

/**
 * POST /api/session as a client that solves the challenge first (GET /api/challenge), with these
 * headers; without proof of work on the board, a plain POST.
 */
export async function postSession(baseUrl: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${baseUrl}/api/challenge`, { headers });
  if (res.status !== 200) return fetch(`${baseUrl}/api/session`, { method: 'POST', headers });
  const solved = solveChallenge((await res.json()) as Challenge);
  return fetch(`${baseUrl}/api/session`, {
    method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ challenge: solved?.payload }),
  });
}
