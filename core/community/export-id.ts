// A user's id in the export: an HMAC of the user id under a secret key, so the export names
// nobody, a user finds their own rows by the exportId GET /api/me tells them, and nobody can
// compute anyone else's without the key.
import { createHmac, hkdfSync } from 'node:crypto';

/** EXPORT_SECRET, or a key derived from the session secret (so a deployment needs no second secret). */
export function exportKey(exportSecret: string | null, sessionSecret: string): Buffer {
  if (exportSecret) return Buffer.from(exportSecret, 'utf8');
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'pixel-board', 'export ids v1', 32));
}

/** 22 base64url characters (132 bits of HMAC-SHA256). */
export function exportId(key: Buffer, userId: string): string {
  return createHmac('sha256', key).update(userId).digest('base64url').slice(0, 22);
}
