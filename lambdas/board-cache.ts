// The last board snapshot a container served, with its gzip and PNG encodings made at most
// once per (epoch, seq). A fetch first asks only for the head; the 500 KB board is read and
// encoded again only when a write or a restore has happened since.
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { BoardHead, BoardReader, BoardSnapshot } from '../core/board-store/board-store.ts';
import { RebuildInProgressError } from '../core/errors.ts';
import { encodeBoardPng } from '../core/publish/board-png.ts';
import { ensureBoard, type HealContext } from '../core/service/self-heal.ts';
import type { ALBResult } from 'aws-lambda';
import type { Services } from '../core/service/services.ts';
import { publishedStaleAfterMs } from '../core/service/board-publisher.ts';
import { empty } from './http/responses.ts';

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
    pngBase64: () => (png ??= encodeBoardPng(snapshot.bytes, size).then(base64)),
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

/**
 * A redirect to the newest published board (kind 'bin') or PNG, as CloudFront serves them from
 * S3: no 1 MB response limit, and the bytes are encoded once for everyone. Null, to answer
 * here, when publishing is off, the publisher has stalled, or it has not caught up with a
 * restore or a resize yet.
 */
export async function publishedRedirect(s: Services, head: BoardHead, kind: 'bin' | 'png'): Promise<ALBResult | null> {
  const { intervalMs, pngIntervalMs } = s.config.publish;
  if (intervalMs <= 0) return null;
  const p = await s.store.published();
  if (!p || p.epoch !== head.epoch || p.width !== head.width || p.height !== head.height) return null;
  const now = Date.now();
  const staleAfter = publishedStaleAfterMs(intervalMs);
  if (now - p.at > staleAfter) return null;
  const target = kind === 'bin' ? p.path : p.pngPath;
  if (!target || (kind === 'png' && now - (p.pngAt ?? 0) > staleAfter + pngIntervalMs)) return null;
  return empty(302, { location: target, 'cache-control': `public, max-age=${s.config.boardMaxAgeSeconds}` });
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
