// `npm run bench:timelapse`: the cost of a cold timelapse (and of the other history reads) over
// a journal of TIMELAPSE_PLACEMENTS placements (1,000,000) on a 1000×1000 board, with a
// snapshot every TIMELAPSE_SNAPSHOT_EVERY placements (100,000, about 5 minutes at r/place's
// average rate). The timelapse spans the whole journal, so it replays every placement from an
// empty board. (The endpoint refuses that one: its bound, 1,000,000, is over HISTORY_MAX_REPLAY;
// measured here by calling the renderer directly with a bound of 2,000,000.)
// Journals: the file log (TIMELAPSE_STORES=file) and Cassandra (cassandra); both by default.
//   TIMELAPSE_PLACEMENTS, TIMELAPSE_SNAPSHOT_EVERY, TIMELAPSE_RUNS (3), TIMELAPSE_STORES (file,cassandra)
import './exit-on-signal.ts';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import cassandra from 'cassandra-driver';
import { createBoard, pixelIndex, setColorAt } from '../core/domain/board-codec.ts';
import { encodeRecord, FilePixelLog } from '../core/pixel-log/file-pixel-log.ts';
import { CassandraPixelLog } from '../core/pixel-log/cassandra-pixel-log.ts';
import { JOURNAL_BUCKET_SEQS, JOURNAL_SHARDS } from '../core/pixel-log/cassandra-schema.ts';
import { FileSnapshotStore } from '../core/snapshots/file-snapshot-store.ts';
import type { PixelLog } from '../core/pixel-log/pixel-log.ts';
import type { Placement } from '../core/domain/placement.ts';
import { renderTimelapse } from '../core/history/timelapse.ts';
import { boardAt } from '../core/history/board-at.ts';
import { countPlacements, heatmapPng } from '../core/history/heatmap.ts';
import { boardPng } from '../core/history/board-image.ts';
import type { HistoryContext } from '../core/history/history-plan.ts';
import { loadConfig } from '../core/config.ts';
import { tempDir } from '../test-support/test-services.ts';
import { realStores, round } from './bench-support.ts';

const PLACEMENTS = Number(process.env.TIMELAPSE_PLACEMENTS ?? 1_000_000);
const EVERY = Number(process.env.TIMELAPSE_SNAPSHOT_EVERY ?? 100_000);
const RUNS = Number(process.env.TIMELAPSE_RUNS ?? 3);
const STORES = (process.env.TIMELAPSE_STORES ?? 'file,cassandra').split(',');
const size = { width: 1000, height: 1000 };
const T0 = Date.now() - 86_400_000;
/** 1M placements over ~2.8 hours (10 ms apart), spread over the board, 2,000 users. */
const placement = (seq: number): Placement => ({
  seq, x: (seq * 7919) % size.width, y: (seq * 104_729) % size.height, color: seq % 16, userId: `user${seq % 2000}`, placedAt: T0 + seq * 10, version: (T0 + seq * 10) * 1000,
});
const END = T0 + PLACEMENTS * 10;

async function snapshotsFor(dir: string): Promise<FileSnapshotStore> {
  const snapshots = new FileSnapshotStore(dir);
  const board = createBoard(size);
  for (let seq = 1; seq <= PLACEMENTS; seq++) {
    const p = placement(seq);
    setColorAt(board, pixelIndex(size, p.x, p.y), p.color);
    if (seq % EVERY === 0) await snapshots.put({ bytes: board.slice(), seq, epoch: 1, at: p.placedAt + 1, ...size });
  }
  return snapshots;
}

type Row = Record<string, string | number>;

async function measure(label: string, log: PixelLog, snapshots: FileSnapshotStore): Promise<Row[]> {
  const ctx: HistoryContext = { snapshots, log, store: { head: async () => ({ seq: PLACEMENTS, epoch: 1, ...size }) }, size, maxReplay: 2_000_000 };
  const rows: Row[] = [];
  const run = async (what: string, work: () => Promise<{ bytes: number; replayed?: number; detail?: string }>) => {
    const times: number[] = [];
    const rss: number[] = [];
    let last = { bytes: 0 } as { bytes: number; replayed?: number; detail?: string };
    for (let i = 0; i < RUNS; i++) {
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
      const started = performance.now();
      last = await work();
      times.push(performance.now() - started);
      clearInterval(sampler);
      rss.push((Math.max(peak, process.memoryUsage().rss) - before) / 2 ** 20);
    }
    const ms = `${round(Math.min(...times), 0)}–${round(Math.max(...times), 0)}`;
    rows.push({ journal: label, request: what, 'ms (min–max)': ms, 'RSS growth MB (max)': round(Math.max(...rss), 0), 'output KB': round(last.bytes / 1024, 0), replayed: last.replayed ?? '', detail: last.detail ?? '' });
    console.log(`${label} ${what}: ${ms} ms`);
  };
  await run('timelapse, whole board, 40 frames, whole journal', async () => {
    const r = await renderTimelapse(ctx, { from: T0, to: END, frames: 40, fps: 10, x0: 0, y0: 0, x1: 1000, y1: 1000 }, END + 120_000);
    writeFileSync(path.join(tempDir('timelapse-out'), 'a.webp'), r.webp);
    return { bytes: r.webp.length, replayed: r.replayed, detail: `replay ${round(r.replayMs, 0)} ms, encode ${round(r.encodeMs, 0)} ms` };
  });
  await run('timelapse, 250×250 region, 300 frames, whole journal', async () => {
    const r = await renderTimelapse(ctx, { from: T0, to: END, frames: 300, fps: 30, x0: 250, y0: 250, x1: 500, y1: 500 }, END + 120_000);
    return { bytes: r.webp.length, replayed: r.replayed, detail: `replay ${round(r.replayMs, 0)} ms, encode ${round(r.encodeMs, 0)} ms` };
  });
  await run('timelapse, whole board, 10 frames (sparser than snapshots)', async () => {
    const r = await renderTimelapse(ctx, { from: T0 + 60_000, to: END, frames: 10, fps: 2, x0: 0, y0: 0, x1: 1000, y1: 1000 }, END + 120_000);
    return { bytes: r.webp.length, replayed: r.replayed, detail: `replay ${round(r.replayMs, 0)} ms, encode ${round(r.encodeMs, 0)} ms` };
  });
  await run('board.png?at= (mid-interval)', async () => {
    const past = await boardAt(ctx, { at: T0 + Math.floor(PLACEMENTS * 0.55) * 10 }, END + 120_000);
    return { bytes: (await boardPng(past.bytes, size)).length, detail: `seq ${past.seq}` };
  });
  await run('heatmap.png, last hour', async () => {
    const h = await countPlacements(ctx, END - 3_600_000, END, END + 120_000);
    return { bytes: (await heatmapPng(h)).length, replayed: h.replayed };
  });
  return rows;
}

const rows: Row[] = [];
const snapshots = await snapshotsFor(tempDir('timelapse-bench-snapshots'));
if (STORES.includes('file')) {
  const dir = tempDir('timelapse-bench-log');
  const chunks: Buffer[] = [];
  for (let seq = 1; seq <= PLACEMENTS; seq++) chunks.push(encodeRecord(placement(seq)));
  writeFileSync(path.join(dir, 'pixels.log'), Buffer.concat(chunks));
  const log = await FilePixelLog.open(dir);
  rows.push(...await measure('file log', log, snapshots));
  await log.close();
}
if (STORES.includes('cassandra')) {
  const stores = await realStores();
  try {
    const config = loadConfig(stores.env);
    const client = new cassandra.Client({ contactPoints: ['127.0.0.1'], localDataCenter: 'datacenter1', protocolOptions: { port: config.cassandra!.port }, keyspace: config.cassandra!.keyspace });
    await client.connect();
    console.log(`loading ${PLACEMENTS} placements into Cassandra's journal …`);
    let next = 1;
    const loadStarted = Date.now();
    await Promise.all(Array.from({ length: 256 }, async () => {
      while (next <= PLACEMENTS) {
        const p = placement(next++);
        await client.execute('INSERT INTO placements_by_seq (bucket, shard, seq, px, py, color, version, user_id, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [Math.floor(p.seq / JOURNAL_BUCKET_SEQS), p.seq % JOURNAL_SHARDS, p.seq, p.x, p.y, p.color, p.version, p.userId, new Date(p.placedAt)], { prepare: true });
        if (p.seq % 200_000 === 0) console.log(`  ${p.seq} (${Math.round(p.seq / ((Date.now() - loadStarted) / 1000))}/s)`);
      }
    }));
    await client.shutdown();
    const log = await CassandraPixelLog.connect(config.cassandra!);
    rows.push(...await measure('Cassandra 2.1', log, snapshots));
    await log.close();
  } finally {
    await stores.stop();
  }
}
console.table(rows);
