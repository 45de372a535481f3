// Restores the live board (pixels, seq, write version and running cooldowns) from persistence.
// Run by `npm run rebuild`, and automatically whenever the live store has no board (a fresh
// Redis, or one that lost its data).
import { createBoard, pixelIndex, setColorAt, type BoardSize } from '../domain/board-codec.ts';
import type { CooldownRules } from '../domain/cooldown.ts';
import { StoreUnavailableError, type BoardStore } from '../board-store/board-store.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import { persistPending } from './persist-pending.ts';

export interface RebuildContext {
  store: BoardStore;
  log: PixelLog;
  size: BoardSize;
  rules: CooldownRules;
  progress?: (line: string) => void;
}

export interface RebuildResult {
  seq: number;
  pixels: number;
  cooldowns: number;
  ms: number;
}

export async function rebuildBoard(ctx: RebuildContext): Promise<RebuildResult | null> {
  const started = Date.now();
  const say = ctx.progress ?? (() => {});
  const release = await ctx.store.lockRebuild(10 * 60_000);
  if (!release) return null;
  try {
    // Anything applied live but not yet confirmed durable goes to persistence first, so the
    // rebuilt board equals the live one.
    const drained = await persistPending(ctx.store, ctx.log, Number.POSITIVE_INFINITY);
    if (drained > 0) say(`persisted ${drained} pending placements`);
    const board = createBoard(ctx.size);
    let seq = 0;
    let version = 0;
    let pixels = 0;
    await ctx.log.scanPixels((p) => {
      if (p.x < ctx.size.width && p.y < ctx.size.height) setColorAt(board, pixelIndex(ctx.size, p.x, p.y), p.color);
      if (p.seq > seq) seq = p.seq;
      if (p.version > version) version = p.version;
      pixels += 1;
    }, (n) => say(`scanned ${n} pixels`));
    const now = Date.now();
    const cooldowns = ctx.rules.cooldownMs > 0 ? await ctx.log.placementsSince(now - ctx.rules.cooldownMs) : [];
    await ctx.store.restore({ board, seq, version }, cooldowns, now);
    const result = { seq, pixels, cooldowns: cooldowns.length, ms: Date.now() - started };
    say(`board restored: ${pixels} pixels, seq ${seq}, ${cooldowns.length} cooldowns, ${result.ms} ms`);
    return result;
  } finally {
    await release();
  }
}

/** Makes sure the live store has a board: rebuilds it, or waits for another process's rebuild. */
export async function ensureBoard(ctx: RebuildContext, waitMs = 30_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  while ((await ctx.store.currentSeq()) === null) {
    if (await rebuildBoard(ctx)) return;
    if (Date.now() > deadline) throw new StoreUnavailableError('the board is being rebuilt');
    await new Promise((r) => setTimeout(r, 200));
  }
}
