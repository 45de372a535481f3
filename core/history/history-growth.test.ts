// History across a board that grew during the event (a live resize), on a real file journal and
// snapshot folder: a past moment has the size the board had then, placements in the new area
// appear from when they were made, a timelapse draws what was not yet board as OFF_BOARD_RGB,
// and a heatmap covers the whole board of today.
import { beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import sharp from 'sharp';
import { FilePixelLog } from '../pixel-log/file-pixel-log.ts';
import { FileSnapshotStore } from '../snapshots/file-snapshot-store.ts';
import { colorAt, createBoard, pixelIndex, resizeBoard, setColorAt, type BoardSize } from '../domain/board-codec.ts';
import { PALETTE_RGB } from '../domain/palette.ts';
import { tempDir } from '../../test-support/test-services.ts';
import { boardAt } from './board-at.ts';
import type { HistoryContext } from './history-plan.ts';
import { renderTimelapse } from './timelapse.ts';
import { countPlacements } from './heatmap.ts';
import { OFF_BOARD_RGB } from './board-image.ts';

const SMALL = { width: 8, height: 4 };
const BIG = { width: 12, height: 6 };
const T0 = 1_795_000_000_000;
const NOW = T0 + 3_600_000;
/** Seq n at T0 + n s; seqs 1–12 on the small board, 13–20 anywhere on the grown one (it grew at T0 + 12.5 s). */
const pixelOf = (seq: number) => (seq <= 12 ? { x: seq % 8, y: seq % 4 } : { x: 4 + (seq % 8), y: 2 + (seq % 4) });

/** The board after the first n placements, at the given size. */
function expected(n: number, size: BoardSize): Uint8Array {
  let b = createBoard(SMALL);
  for (let seq = 1; seq <= n; seq++) {
    if (seq === 13) b = resizeBoard(b, SMALL, BIG);
    const { x, y } = pixelOf(seq);
    setColorAt(b, pixelIndex(seq <= 12 ? SMALL : BIG, x, y), (seq % 15) + 1);
  }
  return size === BIG && n <= 12 ? resizeBoard(b, SMALL, BIG) : b;
}

describe('history of a board that grew mid-event', () => {
  let ctx: HistoryContext;
  let snapshots: FileSnapshotStore;
  let dir: string;

  beforeEach(async () => {
    dir = tempDir('history-growth');
    const log = await FilePixelLog.open(dir);
    snapshots = new FileSnapshotStore(path.join(dir, 'snapshots'));
    for (let seq = 1; seq <= 20; seq++) {
      await log.record({ seq, ...pixelOf(seq), color: (seq % 15) + 1, userId: 'u', placedAt: T0 + seq * 1000, version: seq });
      if (seq === 5) await snapshots.put({ bytes: expected(5, SMALL), seq, epoch: 1, at: T0 + 5_500, ...SMALL });
    }
    ctx = { snapshots, log, store: { head: async () => ({ seq: 20, epoch: 1, ...BIG }) }, size: SMALL, maxReplay: 1000 };
  });

  const growthSnapshot = () => snapshots.put({ bytes: expected(12, BIG), seq: 12, epoch: 1, at: T0 + 12_500, ...BIG });

  it('gives the board at a moment at the size it had then (the resize took a snapshot)', async () => {
    await growthSnapshot();
    const before = await boardAt(ctx, { at: T0 + 11_000 }, NOW);
    expect([before.size, before.seq, Buffer.from(before.bytes).equals(Buffer.from(expected(11, SMALL)))]).toEqual([SMALL, 11, true]);
    const justAfter = await boardAt(ctx, { at: T0 + 12_600 }, NOW);
    expect([justAfter.size, justAfter.seq, Buffer.from(justAfter.bytes).equals(Buffer.from(expected(12, BIG)))]).toEqual([BIG, 12, true]);
    const later = await boardAt(ctx, { at: T0 + 17_000 }, NOW);
    expect([later.size, later.seq, Buffer.from(later.bytes).equals(Buffer.from(expected(17, BIG)))]).toEqual([BIG, 17, true]);
  });

  it('grows a replay to today\'s size at the first placement outside it when no snapshot followed the growth', async () => {
    const later = await boardAt(ctx, { at: T0 + 17_000 }, NOW);
    expect([later.size, later.seq, Buffer.from(later.bytes).equals(Buffer.from(expected(17, BIG)))]).toEqual([BIG, 17, true]);
  });

  it('draws a timelapse of today\'s board, with what was not yet board in OFF_BOARD_RGB', async () => {
    await growthSnapshot();
    const result = await renderTimelapse(ctx, { from: T0 + 11_000, to: T0 + 17_000, frames: 2, fps: 5, x0: 0, y0: 0, x1: 12, y1: 6 }, NOW);
    const { data, info } = await sharp(result.webp, { pages: -1 }).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([12, 12]);
    const rgb = (frame: number, x: number, y: number) => {
      const o = ((frame * 6 + y) * 12 + x) * info.channels;
      return [data[o], data[o + 1], data[o + 2]];
    };
    const palette = (board: Uint8Array, x: number, y: number, size: BoardSize) => {
      const c = colorAt(board, pixelIndex(size, x, y)) * 3;
      return [PALETTE_RGB[c], PALETTE_RGB[c + 1], PALETTE_RGB[c + 2]];
    };
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 12; x++) {
        const first = x < 8 && y < 4 ? palette(expected(11, SMALL), x, y, SMALL) : [...OFF_BOARD_RGB];
        expect([x, y, ...rgb(0, x, y)]).toEqual([x, y, ...first]);
        expect([x, y, ...rgb(1, x, y)]).toEqual([x, y, ...palette(expected(17, BIG), x, y, BIG)]);
      }
    }
  });

  it('counts a heatmap over today\'s board, the grown area included', async () => {
    const h = await countPlacements(ctx, T0, T0 + 20_500, NOW);
    expect(h.size).toEqual(BIG);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(20);
    const { x, y } = pixelOf(15); // (11, 5): outside the small board
    expect(h.counts[pixelIndex(BIG, x, y)]).toBeGreaterThan(0);
  });
});
