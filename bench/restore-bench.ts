// `npm run bench:restore`: how long a restore takes when a million users have placed before,
// on real Redis + Cassandra. The journal holds RESTORE_PLACEMENTS placements; a snapshot older
// than the cooldown sits RESTORE_TAIL placements before its end; user_placements holds
// RESTORE_USERS rows. The restore (snapshot + journal tail) is timed, and so is what the old
// rebuild had to do on top of reading the board: read every user's last placement.
//   RESTORE_USERS (1,000,000), RESTORE_PLACEMENTS (300,000), RESTORE_TAIL (50,000), RESTORE_RUNS (3)
import './exit-on-signal.ts';
import cassandra from 'cassandra-driver';
import { createBoard, pixelIndex, setColorAt } from '../core/domain/board-codec.ts';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { CassandraPixelLog } from '../core/pixel-log/cassandra-pixel-log.ts';
import { JOURNAL_BUCKET_SEQS, JOURNAL_SHARDS } from '../core/pixel-log/cassandra-schema.ts';
import { FileSnapshotStore } from '../core/snapshots/file-snapshot-store.ts';
import { rebuildBoard } from '../core/service/rebuild.ts';
import { realStores, round } from './bench-support.ts';
import { loadConfig } from '../core/config.ts';
import { tempDir } from '../test-support/test-services.ts';

const USERS = Number(process.env.RESTORE_USERS ?? 1_000_000);
const PLACEMENTS = Number(process.env.RESTORE_PLACEMENTS ?? 300_000);
const TAIL = Number(process.env.RESTORE_TAIL ?? 50_000);
const RUNS = Number(process.env.RESTORE_RUNS ?? 3);
const COOLDOWN_MS = 300_000;
const size = { width: 1000, height: 1000 };

/** Runs `count` inserts with up to `concurrency` in flight. */
async function insertAll(count: number, concurrency: number, insert: (i: number) => Promise<unknown>, label: string): Promise<void> {
  let next = 0;
  let done = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      await insert(next++);
      if (++done % 100_000 === 0) console.log(`  ${label}: ${done} (${Math.round(done / ((Date.now() - started) / 1000))}/s)`);
    }
  }));
}

const stores = await realStores();
const config = loadConfig(stores.env);
const client = new cassandra.Client({ contactPoints: ['127.0.0.1'], localDataCenter: 'datacenter1', protocolOptions: { port: config.cassandra!.port }, keyspace: config.cassandra!.keyspace });
await client.connect();
try {
  const now = Date.now();
  console.log(`loading ${USERS} users' last placements and a journal of ${PLACEMENTS} placements …`);
  await insertAll(USERS, 256, (i) => client.execute('INSERT INTO user_placements (user_id, last_placed_at, last_seq) VALUES (?, ?, ?)',
    [`user${i}`, new Date(now - 86_400_000 + (i % 86_400) * 1000), i + 1], { prepare: true }), 'users');
  // The journal: the last TAIL placements fall in the last few minutes (inside the cooldown window).
  const placedAt = (seq: number) => (seq > PLACEMENTS - TAIL ? now - 240_000 + ((seq - (PLACEMENTS - TAIL)) * 200_000) / TAIL : now - 3_600_000 + (seq * 3_000_000) / PLACEMENTS);
  const at = (seq: number) => ({ x: (seq * 7919) % size.width, y: (seq * 104_729) % size.height, color: seq % 16 });
  await insertAll(PLACEMENTS, 256, (i) => {
    const seq = i + 1;
    const p = at(seq);
    return client.execute('INSERT INTO placements_by_seq (bucket, shard, seq, px, py, color, version, user_id, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [Math.floor(seq / JOURNAL_BUCKET_SEQS), seq % JOURNAL_SHARDS, seq, p.x, p.y, p.color, Math.round(placedAt(seq) * 1000), `user${seq % USERS}`, new Date(placedAt(seq))], { prepare: true });
  }, 'journal');

  // The snapshot: the board at the seq where the tail starts, taken 10 minutes ago.
  const snapshots = new FileSnapshotStore(tempDir('restore-bench-snapshots'));
  const base = createBoard(size);
  for (let seq = 1; seq <= PLACEMENTS - TAIL; seq++) { const p = at(seq); setColorAt(base, pixelIndex(size, p.x, p.y), p.color); }
  await snapshots.put({ bytes: base, seq: PLACEMENTS - TAIL, epoch: 1, at: now - 600_000, ...size });

  const log = await CassandraPixelLog.connect(config.cassandra!);
  const store = await RedisBoardStore.connect({ redis: config.redis!, size, rules: { cooldownMs: COOLDOWN_MS, placementsPerIp: 30 }, sessionsPerIpPerHour: 30, updatesKept: 100_000 });
  const restores: number[] = [];
  const scans: number[] = [];
  let last = null as Awaited<ReturnType<typeof rebuildBoard>>;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    last = await rebuildBoard({ store, log, snapshots, size, rules: { cooldownMs: COOLDOWN_MS, placementsPerIp: 30 }, rebuildLockMs: 30_000 });
    restores.push(performance.now() - started);
    // What the old rebuild read on top of the board: every user's last placement (a full table scan).
    const scanStarted = performance.now();
    let users = 0;
    for await (const _row of client.stream('SELECT user_id, last_placed_at FROM user_placements', [], { prepare: true, fetchSize: 5000, autoPage: true }) as unknown as AsyncIterable<unknown>) users++;
    scans.push(performance.now() - scanStarted);
    console.log(`run ${run + 1}: restore ${Math.round(restores.at(-1)!)} ms (${last!.replayed} placements replayed, ${last!.cooldowns} cooldowns); scanning ${users} user rows ${Math.round(scans.at(-1)!)} ms`);
  }
  console.table([{
    users: USERS, journal: PLACEMENTS, 'replayed after the snapshot': last!.replayed, 'cooldowns restored': last!.cooldowns,
    'restore ms (min–max)': `${round(Math.min(...restores), 0)}–${round(Math.max(...restores), 0)}`,
    'old: scan of user rows alone, ms (min–max)': `${round(Math.min(...scans), 0)}–${round(Math.max(...scans), 0)}`,
  }]);
  await log.close();
  await store.close();
} finally {
  await client.shutdown();
  await stores.stop();
}
