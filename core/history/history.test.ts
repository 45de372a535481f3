// History on a real file journal and snapshot folder: exact boards at moments and seqs, the
// frames of a timelapse, heatmap counts, and the work bound.
import { beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import sharp from 'sharp';
import { FilePixelLog } from '../pixel-log/file-pixel-log.ts';
import { FileSnapshotStore } from '../snapshots/file-snapshot-store.ts';
import { colorAt, createBoard, pixelIndex, setColorAt } from '../domain/board-codec.ts';
import { PALETTE_RGB } from '../domain/palette.ts';
import { tempDir } from '../../test-support/test-services.ts';
import { boardAt } from './board-at.ts';
import { RangeTooLargeError, type HistoryContext } from './history-plan.ts';
import { frameRuns, renderTimelapse } from './timelapse.ts';
import { countPlacements } from './heatmap.ts';

const SIZE = { width: 8, height: 4 };
const T0 = 1_795_000_000_000;
const NOW = T0 + 3_600_000;

describe('history from snapshots and the journal', () => {
  let ctx: HistoryContext;
  let log: FilePixelLog;
  let snapshots: FileSnapshotStore;
  let head = 0;
  /** 40 placements, one a second from T0: seq n at T0 + n s, pixel n % 32, colour n % 16. */
  beforeEach(async () => {
    const dir = tempDir('history');
    log = await FilePixelLog.open(dir);
    snapshots = new FileSnapshotStore(path.join(dir, 'snapshots'));
    const board = createBoard(SIZE);
    for (let seq = 1; seq <= 40; seq++) {
      const x = seq % 8;
      const y = Math.floor(seq / 8) % 4;
      await log.record({ seq, x, y, color: seq % 16, userId: `u${seq % 3}`, placedAt: T0 + seq * 1000, version: seq });
      setColorAt(board, pixelIndex(SIZE, x, y), seq % 16);
      if (seq === 10 || seq === 25) await snapshots.put({ bytes: board.slice(), seq, epoch: 1, at: T0 + seq * 1000 + 500, ...SIZE });
    }
    head = 40;
    ctx = { snapshots, log, store: { head: async () => ({ seq: head, epoch: 1, ...SIZE }) }, size: SIZE, maxReplay: 1000 };
  });

  /** The board after the first `n` placements, computed directly. */
  const expected = (n: number) => {
    const b = createBoard(SIZE);
    for (let seq = 1; seq <= n; seq++) setColorAt(b, pixelIndex(SIZE, seq % 8, Math.floor(seq / 8) % 4), seq % 16);
    return b;
  };

  it('gives the board after any seq, before, at and across snapshots', async () => {
    for (const seq of [0, 3, 10, 11, 24, 25, 26, 40]) {
      const past = await boardAt(ctx, { seq }, NOW);
      expect({ seq, same: Buffer.from(past.bytes).equals(Buffer.from(expected(seq))), at: past.seq }).toEqual({ seq, same: true, at: seq });
      expect(past.settled).toBe(true);
    }
  });

  it('gives the board at a moment: every placement made by then and none after', async () => {
    for (const [at, n] of [[T0, 0], [T0 + 9_999, 9], [T0 + 10_000, 10], [T0 + 10_600, 10], [T0 + 25_500, 25], [T0 + 39_000, 39], [NOW, 40]] as const) {
      const past = await boardAt(ctx, { at }, NOW);
      expect({ at, seq: past.seq, same: Buffer.from(past.bytes).equals(Buffer.from(expected(n))) }).toEqual({ at, seq: n, same: true });
    }
  });

  it('says an answer about the last minute, or with placements missing from the journal, may still change', async () => {
    expect((await boardAt(ctx, { at: T0 + 39_000 }, T0 + 40_000)).settled).toBe(false);
    head = 45; // the live board is ahead of the journal (placements pending persistence)
    expect((await boardAt(ctx, { seq: 45 }, NOW)).settled).toBe(false);
  });

  it('renders a timelapse whose frames are the board at evenly spaced moments', async () => {
    const p = { from: T0 + 5_000, to: T0 + 35_000, frames: 4, fps: 5, x0: 0, y0: 0, x1: 8, y1: 4 };
    const result = await renderTimelapse(ctx, p, NOW);
    const meta = await sharp(result.webp).metadata();
    expect([meta.format, meta.pages, meta.width, meta.delay]).toEqual(['webp', 4, 8, [200, 200, 200, 200]]);
    const { data } = await sharp(result.webp, { pages: -1 }).raw().toBuffer({ resolveWithObject: true });
    for (const [i, n] of [5, 15, 25, 35].entries()) {
      const want = expected(n);
      for (let px = 0; px < 32; px++) {
        const c = colorAt(want, px) * 3;
        const o = (i * 32 + px) * (data.length / (4 * 32));
        expect([i, px, data[o], data[o + 1], data[o + 2]]).toEqual([i, px, PALETTE_RGB[c], PALETTE_RGB[c + 1], PALETTE_RGB[c + 2]]);
      }
    }
  });

  it('skips the placements between frames sparser than snapshots: each run of frames starts from the snapshot before it', async () => {
    const p = { from: T0 + 5_000, to: T0 + 35_000, frames: 3, fps: 5, x0: 0, y0: 0, x1: 8, y1: 4 };
    const result = await renderTimelapse(ctx, p, NOW);
    // Frames at 5 s, 20 s and 35 s; snapshots at 10.5 s (seq 10) and 25.5 s (seq 25) lie between them.
    expect(result.replayed).toBe(5 + 10 + 10);
    const { data, info } = await sharp(result.webp, { pages: -1 }).raw().toBuffer({ resolveWithObject: true });
    for (const [i, n] of [5, 20, 35].entries()) {
      const want = expected(n);
      for (let px = 0; px < 32; px++) {
        const c = colorAt(want, px) * 3;
        const o = (i * 32 + px) * info.channels;
        expect([i, px, data[o], data[o + 1], data[o + 2]]).toEqual([i, px, PALETTE_RGB[c], PALETTE_RGB[c + 1], PALETTE_RGB[c + 2]]);
      }
    }
    expect(frameRuns([1, 2, 3, 4], [2.5])).toEqual([[0, 1], [2, 3]]);
    expect(frameRuns([1, 2, 3], [])).toEqual([[0, 1, 2]]);
  });

  it('counts placements per pixel in a window', async () => {
    const h = await countPlacements(ctx, T0 + 1_000, T0 + 40_000, NOW);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(h.max).toBe(2); // 40 placements over 32 pixels
    const later = await countPlacements(ctx, T0 + 33_000, T0 + 40_000, NOW);
    expect(later.counts.reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('bounds the work: a window needing more placements than HISTORY_MAX_REPLAY is refused', async () => {
    ctx.maxReplay = 10;
    await expect(boardAt(ctx, { seq: 24 }, NOW)).rejects.toBeInstanceOf(RangeTooLargeError);
    await expect(countPlacements(ctx, T0, T0 + 40_000, NOW)).rejects.toBeInstanceOf(RangeTooLargeError);
    await expect(boardAt(ctx, { seq: 20 }, NOW)).resolves.toMatchObject({ seq: 20 });
  });
});
