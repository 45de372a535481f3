// Sends one pre-framed WebSocket message to many clients: the frame header is built once per
// tick and the same Buffer is written to every socket, instead of ws framing it per client.
import * as wsModule from 'ws';
import type { WebSocket } from 'ws';
import type { Socket } from 'node:net';

interface FrameOptions { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }
// ws exports its Sender (with the public static `frame`), but @types/ws does not declare it.
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

export function binaryFrame(payload: Uint8Array): Buffer {
  const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return Buffer.concat(Sender.frame(data, { fin: true, opcode: 2, mask: false, readOnly: true, rsv1: false }));
}

export function textFrame(text: string): Buffer {
  return Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false }));
}

/**
 * Writes an already framed message. Safe because the server turns per-message compression
 * off, so ws never holds frames in its own queue: every send goes straight to the socket and
 * frames cannot interleave.
 */
export function sendFramed(ws: WebSocket, frame: Buffer): void {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  if (socket && !socket.destroyed) socket.write(frame);
}
