// The last board snapshot a container served, with its gzip and PNG encodings made at most
// once per (epoch, seq). A fetch first asks only for the head; the 500 KB board is read and
// encoded again only when a write or a restore has happened since.
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { BoardHead, BoardReader, BoardSnapshot } from '../core/board-store/board-store.ts';
import { RebuildInProgressError } from '../core/errors.ts';
import { boardToPixels } from '../core/domain/board-codec.ts';
import { ensureBoard, type HealContext } from '../core/service/self-heal.ts';

const gzipAsync = promisify(gzip);

/** A snapshot and its encodings, each made once. Bodies are base64, as ALB responses carry them. */
export interface CachedBoard extends BoardSnapshot {
  rawBase64(): string;
  gzipBase64(): Promise<string>;
  pngBase64(): Promise<string>;
}

let last: CachedBoard | null = null;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

function cached(snapshot: BoardSnapshot): CachedBoard {
  const size = { width: snapshot.width, height: snapshot.height };
  let raw: string | null = null;
  let gz: Promise<string> | null = null;
  let png: Promise<string> | null = null;
  return {
    ...snapshot,
    rawBase64: () => (raw ??= base64(snapshot.bytes)),
    gzipBase64: () => (gz ??= gzipAsync(snapshot.bytes, { level: 6 }).then(base64)),
    // Loaded on first use: only the PNG function ships sharp's native binary.
    pngBase64: () => (png ??= import('sharp').then(({ default: sharp }) => sharp(boardToPixels(snapshot.bytes, size, 3), { raw: { width: size.width, height: size.height, channels: 3 } })
      .png({ compressionLevel: 6, adaptiveFiltering: false })
      .toBuffer()).then(base64)),
  };
}

/** The live head; if the live store lost its board, it is rebuilt first. */
export async function currentHead(ctx: HealContext): Promise<BoardHead> {
  let head = await ctx.store.head();
  if (head === null) {
    await ensureBoard(ctx, 'board read');
    head = await ctx.store.head();
  }
  if (head === null) throw new RebuildInProgressError('the board is being rebuilt', 2000);
  return head;
}

export async function currentBoard(store: Pick<BoardReader, 'snapshot'>, known: BoardHead): Promise<CachedBoard> {
  if (last && boardEtag(last) === boardEtag(known)) return last;
  const snapshot = await store.snapshot();
  if (!snapshot) throw new RebuildInProgressError('the board is being rebuilt', 2000);
  last = cached(snapshot);
  return last;
}

/** Names the board's size, epoch and seq: equal ETags mean equal bytes. */
export function boardEtag(head: BoardHead): string {
  return `"${head.width}x${head.height}-${head.epoch}-${head.seq}"`;
}

export function boardHeaders(head: BoardHead): Record<string, string> {
  return {
    'x-board-seq': String(head.seq), 'x-board-epoch': String(head.epoch),
    'x-board-width': String(head.width), 'x-board-height': String(head.height),
  };
}
