// The archive on a file journal: the CSV replays to the final board byte for byte, the Parquet
// holds the same rows, users appear only as their keyed hash, banned users' rows are flagged,
// and the recap adds up.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { parse } from 'csv-parse/sync';
import { parquetReadObjects } from 'hyparquet';
import { FilePixelLog } from '../pixel-log/file-pixel-log.ts';
import { createBoard, pixelIndex, setColorAt } from '../domain/board-codec.ts';
import { tempDir } from '../../test-support/test-services.ts';
import { exportId } from '../community/export-id.ts';
import { boardPng } from '../history/board-image.ts';
import { exportEvent } from './export.ts';
import { replayCsv } from './replay-csv.ts';

const SIZE = { width: 30, height: 20 };
const T0 = 1_795_000_000_000;
const KEY = Buffer.from('export-test-key');

describe('the event export', () => {
  it('writes every placement so that replaying the CSV gives the final board byte for byte, with users hashed and bans flagged', async () => {
    const log = await FilePixelLog.open(tempDir('export-log'));
    const board = createBoard(SIZE);
    const users = ['alice', 'bob', 'mallory'];
    for (let seq = 1; seq <= 2000; seq++) {
      const p = { seq, x: (seq * 7) % 30, y: (seq * 13) % 20, color: (seq * 5) % 16, userId: users[seq % 3]!, placedAt: T0 + seq * 250, version: seq };
      await log.record(p);
      setColorAt(board, pixelIndex(SIZE, p.x, p.y), p.color);
    }
    const outDir = tempDir('export-out');
    const manifest = await exportEvent({ log, size: SIZE, key: KEY, bans: { bannedUsers: async () => new Set(['mallory']) }, outDir, frames: 10 });
    expect(manifest).toMatchObject({ placements: 2000, users: 3, lastSeq: 2000, firstPlacedAt: T0 + 250, lastPlacedAt: T0 + 500_000 });

    const replayed = await replayCsv(path.join(outDir, 'placements.csv'), SIZE);
    expect(replayed.rows).toBe(2000);
    expect(Buffer.from(replayed.board).equals(Buffer.from(board))).toBe(true);
    expect(readFileSync(path.join(outDir, 'final.png')).equals(await boardPng(board, SIZE))).toBe(true);

    const csvText = readFileSync(path.join(outDir, 'placements.csv'), 'utf8');
    for (const u of users) expect(csvText).not.toContain(u);
    const rows = parse(csvText, { columns: true }) as Record<string, string>[];
    expect(rows[0]).toEqual({ seq: '1', placed_at: new Date(T0 + 250).toISOString(), x: '7', y: '13', color: '5', user: exportId(KEY, 'bob'), banned: '0' });
    expect(rows.filter((r) => r.banned === '1').every((r) => r.user === exportId(KEY, 'mallory'))).toBe(true);
    expect(rows.filter((r) => r.banned === '1')).toHaveLength(667);

    const parquet = readFileSync(path.join(outDir, 'placements.parquet'));
    const objects = await parquetReadObjects({ file: parquet.buffer.slice(parquet.byteOffset, parquet.byteOffset + parquet.byteLength) });
    expect(objects).toHaveLength(2000);
    expect(objects[1999]).toMatchObject({ seq: 2000, x: (2000 * 7) % 30, y: (2000 * 13) % 20, color: 0, user: exportId(KEY, 'mallory'), banned: true });
    expect((objects[0]!.placed_at as Date).getTime()).toBe(T0 + 250);

    const recap = parse(readFileSync(path.join(outDir, 'recap.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(recap.map((r) => Number(r.pixels)).reduce((a, b) => a + b, 0)).toBe(2000);
    const alice = recap.find((r) => r.user === exportId(KEY, 'alice'))!;
    expect(alice).toMatchObject({ pixels: '666', first_placed_at: new Date(T0 + 3 * 250).toISOString(), last_placed_at: new Date(T0 + 1998 * 250).toISOString(), banned: '0' });
    // alice placed seqs 3, 6, …: colours (15·k) mod 16 cycle through all 16; the most placed wins (ties: the lowest).
    const counts = new Array<number>(16).fill(0);
    for (let seq = 3; seq <= 2000; seq += 3) counts[(seq * 5) % 16]!++;
    expect(Number(alice.favourite_color)).toBe(counts.indexOf(Math.max(...counts)));

    const film = await sharp(path.join(outDir, 'timelapse.webp')).metadata();
    expect([film.format, film.width, film.pages]).toEqual(['webp', 30, 10]);
    expect(Object.keys(JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')).files as object).sort())
      .toEqual(['final.png', 'placements.csv', 'placements.parquet', 'recap.csv', 'timelapse.webp']);
    await log.close();
  });
});
