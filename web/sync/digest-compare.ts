// Compares the client's copy with a server digest (core/protocol/board-digest.ts). Plain
// function, no I/O: says whether to wait (frames up to the digest's seq are still coming),
// drop it (the copy is already past it, or of another epoch), or which tiles differ.
import { boardDigest, decodeDigest, differingTiles, DIGEST_TILE } from '../../core/protocol/board-digest.ts';
import type { DigestMessage } from '../../core/protocol/messages.ts';
import type { BoardReplica } from './board-replica.ts';

export type DigestVerdict =
  | { status: 'wait' }
  | { status: 'stale' }
  | { status: 'match' }
  /** `gross`: so much differs (or the digest cannot be read) that fetching the whole board is cheaper. */
  | { status: 'differ'; tiles: number[]; gross: boolean };

/** More than this share of tiles differing: fetch the whole board instead of tiles. */
export const GROSS_SHARE = 0.25;

export function compareDigest(replica: BoardReplica, digest: DigestMessage): DigestVerdict {
  if (!replica.board || digest.epoch !== replica.epoch || replica.seq > digest.seq) return { status: 'stale' };
  if (replica.seq < digest.seq) return { status: 'wait' };
  const theirs = digest.tile === DIGEST_TILE ? decodeDigest(digest.hashes) : null;
  if (!theirs || digest.width !== replica.width || digest.height !== replica.height) return { status: 'differ', tiles: [], gross: true };
  const ours = boardDigest(replica.board, replica);
  if (ours.length !== theirs.length) return { status: 'differ', tiles: [], gross: true };
  const tiles = differingTiles(ours, theirs);
  if (tiles.length === 0) return { status: 'match' };
  return { status: 'differ', tiles, gross: tiles.length > ours.length * GROSS_SHARE };
}
