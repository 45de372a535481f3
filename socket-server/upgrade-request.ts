// What a WebSocket upgrade request says before the socket exists: the client's address evidence,
// the seq and epoch it resumes from, and how a refused upgrade is answered.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressEvidence } from '../core/domain/client-ip.ts';

/** The upgrade's address headers as the ALB would pass them to a Lambda: X-Forwarded-For with the peer appended. */
export function upgradeEvidence(req: IncomingMessage): AddressEvidence {
  const remote = req.socket.remoteAddress ?? 'unknown';
  const xff = req.headers['x-forwarded-for'];
  const viewer = req.headers['cloudfront-viewer-address'];
  return {
    forwardedFor: xff ? `${Array.isArray(xff) ? xff.join(', ') : xff}, ${remote}` : remote,
    viewerAddress: Array.isArray(viewer) ? viewer.join(', ') : viewer,
  };
}

/** `?seq=&epoch=` of a reconnecting client, or null. */
export function resumeFrom(query: URLSearchParams): { seq: number; epoch: number } | null {
  const seq = query.get('seq');
  const epoch = query.get('epoch');
  if (!seq || !epoch || !/^\d{1,10}$/.test(seq) || !/^\d{1,16}$/.test(epoch)) return null;
  return { seq: Number(seq), epoch: Number(epoch) };
}

export function reject(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // A client that never closes its side must not hold the socket open.
  setTimeout(() => socket.destroy(), 2000).unref();
}
