// The board digest: a 32-bit FNV-1a hash per tile of the packed board, so a client can check
// its copy against the server's by comparing a few hundred bytes, and fetch only the tiles that
// differ (docs/PROTOCOL.md, "digest"). Socket servers and clients compute it with this one
// function. Tiles are DIGEST_TILE pixels square (the last row and column of tiles may be
// smaller); tile i is at column i % columns, row ⌊i / columns⌋.
import type { BoardSize } from '../domain/board-codec.ts';

export const DIGEST_TILE = 256;

export interface TileRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function tileColumns(size: BoardSize, tile = DIGEST_TILE): number {
  return Math.ceil(size.width / tile);
}

export function tileCount(size: BoardSize, tile = DIGEST_TILE): number {
  return tileColumns(size, tile) * Math.ceil(size.height / tile);
}

export function tileRect(size: BoardSize, index: number, tile = DIGEST_TILE): TileRect {
  const columns = tileColumns(size, tile);
  const x = (index % columns) * tile;
  const y = Math.floor(index / columns) * tile;
  return { x, y, width: Math.min(tile, size.width - x), height: Math.min(tile, size.height - y) };
}

/** The tile holding pixel (x, y). */
export function tileOf(size: BoardSize, x: number, y: number, tile = DIGEST_TILE): number {
  return Math.floor(y / tile) * tileColumns(size, tile) + Math.floor(x / tile);
}

/**
 * Hashes the bytes that hold each row of the tile: where a row starts or ends mid-byte (an odd
 * x or width), the byte shared with the neighbouring tile counts for both, which is harmless:
 * a pixel there that differs flags two tiles instead of one.
 */
export function tileHash(board: Uint8Array, size: BoardSize, index: number, tile = DIGEST_TILE): number {
  const r = tileRect(size, index, tile);
  let h = 0x811c9dc5;
  for (let y = r.y; y < r.y + r.height; y++) {
    const first = (y * size.width + r.x) >> 1;
    const last = (y * size.width + r.x + r.width - 1) >> 1;
    for (let i = first; i <= last; i++) h = Math.imul(h ^ board[i]!, 0x01000193);
  }
  return h >>> 0;
}

/** Every tile's hash, or only those marked in `dirty` (the others keep their value in `into`). */
export function boardDigest(board: Uint8Array, size: BoardSize, into?: Uint32Array, dirty?: Uint8Array): Uint32Array {
  const count = tileCount(size);
  const out = into && into.length === count ? into : new Uint32Array(count);
  const all = out !== into || !dirty;
  for (let i = 0; i < count; i++) if (all || dirty![i]) out[i] = tileHash(board, size, i);
  return out;
}

/** The hashes as the digest message carries them: 8 hex digits a tile, in tile order. */
export function encodeDigest(hashes: Uint32Array): string {
  let out = '';
  for (const h of hashes) out += h.toString(16).padStart(8, '0');
  return out;
}

export function decodeDigest(text: string): Uint32Array | null {
  if (text.length % 8 !== 0 || !/^[0-9a-f]*$/.test(text)) return null;
  const out = new Uint32Array(text.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 8, i * 8 + 8), 16);
  return out;
}

/** The tiles whose hashes differ. */
export function differingTiles(ours: Uint32Array, theirs: Uint32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(ours.length, theirs.length); i++) if (ours[i] !== theirs[i]) out.push(i);
  return out;
}
