// The last board snapshot a container served, with its gzip and PNG encodings made at most
// once per seq. A fetch first asks only for the seq; the 500 KB board is read and encoded
// again only when a write has happened since.
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { StoreUnavailableError, type BoardStore, type BoardSnapshot } from '../core/board-store/board-store.ts';
import { boardToPixels, type BoardSize } from '../core/domain/board-codec.ts';
import { ensureBoard, type RebuildContext } from '../core/service/rebuild.ts';

const gzipAsync = promisify(gzip);

/** A snapshot and its encodings, each made once. Bodies are base64, as ALB responses carry them. */
export interface CachedBoard extends BoardSnapshot {
  rawBase64(): string;
  gzipBase64(): Promise<string>;
  pngBase64(): Promise<string>;
}

let last: CachedBoard | null = null;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

function cached(snapshot: BoardSnapshot, size: BoardSize): CachedBoard {
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

/** The live seq; if the live store lost its board, it is rebuilt first. */
export async function currentSeq(ctx: RebuildContext): Promise<number> {
  let seq = await ctx.store.currentSeq();
  if (seq === null) {
    await ensureBoard(ctx);
    seq = await ctx.store.currentSeq();
  }
  if (seq === null) throw new StoreUnavailableError('the board is being rebuilt');
  return seq;
}

export async function currentBoard(store: BoardStore, size: BoardSize, knownSeq: number): Promise<CachedBoard> {
  const seq = knownSeq;
  if (last && last.seq === seq) return last;
  const snapshot = await store.snapshot();
  if (!snapshot) throw new StoreUnavailableError('the board is being rebuilt');
  last = cached(snapshot, size);
  return last;
}

export function boardEtag(size: BoardSize, seq: number): string {
  return `"${size.width}x${size.height}-${seq}"`;
}
