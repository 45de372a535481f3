// Messages on the store's update feed (Redis pub/sub, between the write script and the socket
// servers): a pixel batch as the write script publishes it, a board reset after a restore
// (u8 type = 2, f64 epoch, u32 seq), a board that grew (u8 type = 3, u16 width, u16 height,
// u32 seq), the board's state after an admin changed it (u8 type = 4, then the BoardStatus as
// UTF-8 JSON), or anything else, which subscribers treat as "check for gaps".
import { PIXEL_BATCH_TYPE, BATCH_HEADER_BYTES } from './pixel-batch.ts';
import type { BoardStatus } from '../domain/moderation.ts';

export const FEED_RESET_TYPE = 2;
export const FEED_RESIZE_TYPE = 3;
export const FEED_STATUS_TYPE = 4;

export type FeedMessage =
  | { type: 'batch' }
  | { type: 'reset'; epoch: number; seq: number }
  | { type: 'resize'; width: number; height: number; seq: number }
  | { type: 'status'; status: BoardStatus }
  | { type: 'resync' };

export function encodeFeedStatus(status: BoardStatus): Buffer {
  return Buffer.concat([Buffer.from([FEED_STATUS_TYPE]), Buffer.from(JSON.stringify(status), 'utf8')]);
}

export function encodeFeedResize(width: number, height: number, seq: number): Buffer {
  const out = Buffer.alloc(9);
  out.writeUInt8(FEED_RESIZE_TYPE, 0);
  out.writeUInt16LE(width, 1);
  out.writeUInt16LE(height, 3);
  out.writeUInt32LE(seq, 5);
  return out;
}

export function encodeFeedReset(epoch: number, seq: number): Buffer {
  const out = Buffer.alloc(13);
  out.writeUInt8(FEED_RESET_TYPE, 0);
  out.writeDoubleLE(epoch, 1);
  out.writeUInt32LE(seq, 9);
  return out;
}

export function decodeFeedMessage(bytes: Uint8Array): FeedMessage {
  if (bytes[0] === PIXEL_BATCH_TYPE && bytes.length >= BATCH_HEADER_BYTES) return { type: 'batch' };
  if (bytes[0] === FEED_RESET_TYPE && bytes.length === 13) {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { type: 'reset', epoch: view.readDoubleLE(1), seq: view.readUInt32LE(9) };
  }
  if (bytes[0] === FEED_RESIZE_TYPE && bytes.length === 9) {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { type: 'resize', width: view.readUInt16LE(1), height: view.readUInt16LE(3), seq: view.readUInt32LE(5) };
  }
  if (bytes[0] === FEED_STATUS_TYPE) {
    try {
      const status = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.byteLength - 1).toString('utf8')) as BoardStatus;
      if (typeof status?.state === 'string' && typeof status.cooldownMs === 'number') return { type: 'status', status };
    } catch {
      // not one of ours: treated as a reason to check for gaps
    }
  }
  return { type: 'resync' };
}
