// The event archive (`npm run export`): one pass over the whole journal in seq order writes
// every placement as CSV and as Parquet (user ids replaced by a keyed hash, banned users' rows
// flagged), and builds the final board (PNG), a timelapse of the whole event (WebP) and a
// per-user recap (CSV), with a manifest of it all. Reading the whole journal is this job's to
// do; no request path does.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import { ParquetWriter, fileWriter, schemaFromColumnData } from 'hyparquet-writer';
import { createBoard, pixelIndex, setColorAt, type BoardSize } from '../domain/board-codec.ts';
import { COLOR_COUNT } from '../domain/palette.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';
import type { Placement } from '../domain/placement.ts';
import type { BanList } from '../community/bans.ts';
import { exportId } from '../community/export-id.ts';
import { boardPng, regionRgb } from '../history/board-image.ts';
import { frameTime, TIMELAPSE_LIMITS } from '../history/timelapse-params.ts';

export interface ExportOptions {
  log: Pick<PixelLog, 'replay' | 'seqFloor'>;
  size: BoardSize;
  key: Buffer;
  bans: BanList;
  outDir: string;
  /** Frames of the whole-event timelapse (bounded by TIMELAPSE_LIMITS for the board's area). */
  frames?: number;
  progress?: (line: string) => void;
}

export interface ExportManifest {
  generatedAt: string;
  placements: number;
  users: number;
  lastSeq: number;
  firstPlacedAt: number | null;
  lastPlacedAt: number | null;
  userHash: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** Where an export goes in the media store: EXPORT_PREFIX + <time>/ (under MEDIA_PREFIX in S3). */
export const EXPORT_PREFIX = 'export/';

export const CSV_COLUMNS = ['seq', 'placed_at', 'x', 'y', 'color', 'user', 'banned'] as const;
const PARQUET_ROWS = 100_000;

interface Recap {
  pixels: number;
  first: number;
  last: number;
  colors: Uint32Array;
}

/** The first and last placement times (one placement read at each end). */
async function timeRange(log: ExportOptions['log'], lastSeq: number): Promise<[number, number] | null> {
  let first: number | null = null;
  let last: number | null = null;
  await log.replay(0, Math.min(lastSeq, 1), (p) => { first = p.placedAt; });
  await log.replay(lastSeq - 1, lastSeq, (p) => { last = p.placedAt; });
  return first !== null && last !== null ? [first, Math.max(first + 1, last)] : null;
}

async function write(stream: NodeJS.WritableStream, chunk: unknown): Promise<void> {
  if (!(stream as unknown as { write(c: unknown): boolean }).write(chunk)) await once(stream, 'drain');
}

export async function exportEvent(o: ExportOptions): Promise<ExportManifest> {
  await mkdir(o.outDir, { recursive: true });
  const file = (name: string) => path.join(o.outDir, name);
  const lastSeq = await o.log.seqFloor();
  const banned = await o.bans.bannedUsers();
  const hashes = new Map<string, string>();
  const hashOf = (userId: string) => {
    let h = hashes.get(userId);
    if (h === undefined) hashes.set(userId, (h = exportId(o.key, userId)));
    return h;
  };

  const csvFile = createWriteStream(file('placements.csv'));
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS] });
  csv.pipe(csvFile);
  let parquet: ParquetWriter | null = null;
  let rows: { seq: number[]; at: Date[]; x: number[]; y: number[]; color: number[]; user: string[]; banned: boolean[] } = { seq: [], at: [], x: [], y: [], color: [], user: [], banned: [] };
  const flushParquet = () => {
    if (rows.seq.length === 0) return;
    const columnData = [
      { name: 'seq', data: rows.seq, type: 'INT32' as const }, { name: 'placed_at', data: rows.at, type: 'TIMESTAMP' as const },
      { name: 'x', data: rows.x, type: 'INT32' as const }, { name: 'y', data: rows.y, type: 'INT32' as const },
      { name: 'color', data: rows.color, type: 'INT32' as const }, { name: 'user', data: rows.user, type: 'STRING' as const },
      { name: 'banned', data: rows.banned, type: 'BOOLEAN' as const },
    ];
    parquet ??= new ParquetWriter({ writer: fileWriter(file('placements.parquet')), schema: schemaFromColumnData({ columnData }) });
    void parquet.write({ columnData, rowGroupSize: PARQUET_ROWS });
    rows = { seq: [], at: [], x: [], y: [], color: [], user: [], banned: [] };
  };

  // The whole event's timelapse: frames × area bounded as for the HTTP endpoint.
  const range = await timeRange(o.log, lastSeq);
  const area = o.size.width * o.size.height;
  const frames = Math.max(2, Math.min(o.frames ?? 120, TIMELAPSE_LIMITS.maxFrames, Math.floor(TIMELAPSE_LIMITS.maxPixelFrames / area)));
  const region = { x0: 0, y0: 0, x1: o.size.width, y1: o.size.height };
  const frameBytes = area * 3;
  const film = range ? new Uint8Array(frameBytes * frames) : null;
  const times = range ? { from: range[0], to: range[1], frames } : null;
  let nextFrame = 0;
  const board = createBoard(o.size);
  const emitUntil = (placedAt: number) => {
    while (film && times && nextFrame < frames && frameTime(times, nextFrame) < placedAt) regionRgb(board, o.size, region, film, frameBytes * nextFrame++);
  };

  const recaps = new Map<string, Recap>();
  let placements = 0;
  const pending: Placement[] = [];
  const take = async () => {
    for (const p of pending) {
      const user = hashOf(p.userId);
      const isBanned = banned.has(p.userId);
      await write(csv, [p.seq, new Date(p.placedAt).toISOString(), p.x, p.y, p.color, user, isBanned ? 1 : 0]);
      rows.seq.push(p.seq); rows.at.push(new Date(p.placedAt)); rows.x.push(p.x); rows.y.push(p.y); rows.color.push(p.color); rows.user.push(user); rows.banned.push(isBanned);
      if (rows.seq.length >= PARQUET_ROWS) flushParquet();
    }
    pending.length = 0;
  };
  // The journal visits synchronously; rows are written between windows so backpressure holds.
  const WINDOW = 65_536;
  for (let after = 0; after < lastSeq; after += WINDOW) {
    await o.log.replay(after, Math.min(after + WINDOW, lastSeq), (p) => {
      emitUntil(p.placedAt);
      setColorAt(board, pixelIndex(o.size, p.x, p.y), p.color);
      placements++;
      let r = recaps.get(p.userId);
      if (!r) recaps.set(p.userId, (r = { pixels: 0, first: p.placedAt, last: p.placedAt, colors: new Uint32Array(COLOR_COUNT) }));
      r.pixels++;
      r.first = Math.min(r.first, p.placedAt);
      r.last = Math.max(r.last, p.placedAt);
      r.colors[p.color]!++;
      pending.push(p);
    });
    await take();
    o.progress?.(`${placements} placements exported (seq ${Math.min(after + WINDOW, lastSeq)} of ${lastSeq})`);
  }
  emitUntil(Number.POSITIVE_INFINITY);
  csv.end();
  await once(csvFile, 'finish');
  flushParquet();
  await (parquet as ParquetWriter | null)?.finish();

  const recapFile = createWriteStream(file('recap.csv'));
  const recap = stringify({ header: true, columns: ['user', 'pixels', 'first_placed_at', 'last_placed_at', 'favourite_color', 'banned'] });
  recap.pipe(recapFile);
  for (const [userId, r] of recaps) {
    let favourite = 0;
    for (let c = 1; c < COLOR_COUNT; c++) if (r.colors[c]! > r.colors[favourite]!) favourite = c;
    await write(recap, [hashOf(userId), r.pixels, new Date(r.first).toISOString(), new Date(r.last).toISOString(), favourite, banned.has(userId) ? 1 : 0]);
  }
  recap.end();
  await once(recapFile, 'finish');

  const { writeFile } = await import('node:fs/promises');
  await writeFile(file('final.png'), await boardPng(board, o.size));
  if (film) {
    const { default: sharp } = await import('sharp');
    await sharp(film, { raw: { width: o.size.width, height: o.size.height * frames, channels: 3, pageHeight: o.size.height } })
      .webp({ lossless: true, effort: 1, loop: 0, delay: new Array<number>(frames).fill(100) })
      .toFile(file('timelapse.webp'));
  }

  const files: ExportManifest['files'] = {};
  for (const name of ['placements.csv', 'placements.parquet', 'recap.csv', 'final.png', 'timelapse.webp']) {
    const size = await stat(file(name)).then((s) => s.size, () => null);
    if (size === null) continue;
    files[name] = { bytes: size, sha256: createHash('sha256').update(await readFile(file(name))).digest('hex') };
  }
  const manifest: ExportManifest = {
    generatedAt: new Date().toISOString(), placements, users: recaps.size, lastSeq,
    firstPlacedAt: range?.[0] ?? null, lastPlacedAt: range ? range[1] : null,
    userHash: 'HMAC-SHA256 of the user id under the export key (EXPORT_SECRET), base64url, first 22 characters: GET /api/me says yours as exportId',
    files,
  };
  await writeFile(file('manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
