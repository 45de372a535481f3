// Boards published for the CDN: every BOARD_PUBLISH_MS the board (gzip) and, less often, its
// PNG are written as immutable objects named by epoch, seq and size, and GET /api/board and
// /api/board.png redirect to the newest. A board of any size is then served by the CDN from the
// object store, not built per request inside a Lambda's 1 MB response.
import type { BoardHead } from '../board-store/board-store.ts';

export type PublishedKind = 'bin' | 'png';

export interface PublishedBoard extends BoardHead {
  /** URL path of the gzip-encoded board bytes, e.g. /boards/1795…/4242-1000x1000.bin */
  path: string;
  /** URL path of the newest PNG (maybe of an earlier seq), or null before the first. */
  pngPath: string | null;
  /** When the bytes were published (ms), to tell a stalled publisher. */
  at: number;
  pngAt: number | null;
}

/** The URL path prefix, and the object key prefix in the bucket CloudFront serves it from. */
export const PUBLISHED_PREFIX = 'boards/';

export function publishedKey(head: BoardHead, kind: PublishedKind): string {
  return `${PUBLISHED_PREFIX}${head.epoch}/${head.seq}-${head.width}x${head.height}.${kind}`;
}

const KEY = /^boards\/(\d{1,16})\/(\d{1,10})-(\d{1,5})x(\d{1,5})\.(bin|png)$/;

export function parsePublishedKey(key: string): (BoardHead & { kind: PublishedKind }) | null {
  const m = key.match(KEY);
  if (!m) return null;
  return { epoch: Number(m[1]), seq: Number(m[2]), width: Number(m[3]), height: Number(m[4]), kind: m[5] as PublishedKind };
}

/** Where published objects are written: a folder for the local run, S3 (behind CloudFront) in AWS. */
export interface BoardObjects {
  /** Writes one immutable object: gzip-encoded board bytes or a PNG, with the board's head as metadata. */
  put(key: string, body: Uint8Array, head: BoardHead): Promise<void>;
  /** Removes objects older than the newest `keep` of each kind (S3 uses a lifecycle rule instead). */
  prune(keep: number): Promise<void>;
}
