// One process of reconnect-storm clients: real BoardSync clients (the page's sync library on
// `ws`), each given two socket servers to try in turn, as a load balancer would offer the
// survivors. Told over IPC when to connect, when a server was killed (and the seq written by
// then), and asked for progress, counters and a check of every client's board.
import { createHash } from 'node:crypto';
import { WebSocket } from 'ws';
import { BoardSync, type SocketLike, type SyncStats } from '../web/sync/board-sync.ts';
import { addCounts, cloneCounts, countingFetch, diffCounts, emptyCounts, type FetchCounts } from './counting-fetch.ts';

interface Start { apiUrl: string; socketUrls: string[]; count: number; firstClient: number; firstAddress: number; spreadMs?: number }
/** `needsHello`: on the killed server, so not back until a server greets it again. */
interface Client { sync: BoardSync; home: number; caughtUpAt: number | null; needsHello: boolean; helloAt: number }

const clients: Client[] = [];
const http = emptyCounts();
let killSeq: number | null = null;
let marked: { http: FetchCounts; stats: Partial<SyncStats> } | null = null;
const STATS: (keyof SyncStats)[] = ['reconnects', 'resumedFromMemory', 'repairs', 'boardLoads', 'digestsChecked', 'mismatchedTiles', 'checks'];

function sumStats(): Partial<SyncStats> {
  const out: Partial<SyncStats> = {};
  for (const k of STATS) out[k] = clients.reduce((n, c) => n + c.sync.stats[k], 0);
  return out;
}

function watchCatchUp(c: Client): void {
  if (killSeq !== null && c.caughtUpAt === null && !c.needsHello && c.sync.seq >= killSeq && c.sync.status === 'live') c.caughtUpAt = Date.now();
}

// The bench stopped (or died): do not stay behind holding thousands of sockets.
process.on('disconnect', () => process.exit(0));
process.on('message', (msg: { type: string } & Record<string, unknown>) => {
  handle(msg).catch((err: unknown) => {
    console.error('reconnect worker failed', err);
    process.exit(1);
  });
});

async function handle(msg: { type: string } & Record<string, unknown>): Promise<void> {
  if (msg.type === 'start') {
    const { apiUrl, socketUrls, count, firstClient, firstAddress, spreadMs } = msg as unknown as Start;
    const fetchFn = countingFetch(http);
    // In waves, each live before the next: the first board loads are not what is measured.
    for (let i = 0; i < count; i += 250) {
      const wave: Client[] = [];
      for (let j = i; j < Math.min(count, i + 250); j++) {
        const n = firstClient + j;
        const home = n % socketUrls.length;
        const urls = socketUrls.map((_, k) => socketUrls[(home + k) % socketUrls.length]!);
        // Spread over loopback addresses: one source address has ~28k ephemeral ports.
        const localAddress = `127.0.0.${firstAddress + (n % 8)}`;
        const sync = new BoardSync({
          apiUrl, socketUrls: urls, fetch: fetchFn, checkIntervalMs: 0, recentKept: 2000, ...(spreadMs ? { reconnectSpreadMs: spreadMs } : {}),
          openSocket: (url) => new WebSocket(url, { localAddress, perMessageDeflate: false }) as unknown as SocketLike,
        });
        const c: Client = { sync, home, caughtUpAt: null, needsHello: false, helloAt: 0 };
        sync.on('applied', () => watchCatchUp(c));
        sync.on('status', () => watchCatchUp(c));
        sync.on('hello', () => { c.needsHello = false; c.helloAt = Date.now(); });
        sync.start();
        wave.push(c);
      }
      clients.push(...wave);
      const deadline = Date.now() + 60_000;
      while (wave.some((c) => c.sync.status !== 'live') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    }
    process.send!({ type: 'connected', live: clients.filter((c) => c.sync.status === 'live').length });
  } else if (msg.type === 'kill') {
    marked = { http: cloneCounts(http), stats: sumStats() };
    killSeq = msg.seq as number;
    for (const c of clients) {
      // A client may have been greeted again before this message came: that greeting counts.
      c.needsHello = c.home === msg.killedHome && c.helloAt < (msg.killedAt as number);
      watchCatchUp(c);
    }
    process.send!({ type: 'marked' });
  } else if (msg.type === 'progress') {
    let behind = 0;
    let minSeq = Number.POSITIVE_INFINITY;
    for (const c of clients) {
      if (c.caughtUpAt === null) behind++;
      minSeq = Math.min(minSeq, c.sync.seq);
    }
    process.send!({ type: 'progress', behind, minSeq, live: clients.filter((c) => c.sync.status === 'live').length });
  } else if (msg.type === 'report') {
    const now = sumStats();
    const stats: Record<string, number> = {};
    for (const k of STATS) stats[k] = (now[k] ?? 0) - (marked?.stats[k] ?? 0);
    const killedHome = msg.killedHome as number;
    process.send!({
      type: 'report', stats, http: diffCounts(marked?.http ?? emptyCounts(), http), totalHttp: addCounts(emptyCounts(), http),
      movedCatchUps: clients.filter((c) => c.home === killedHome).map((c) => c.caughtUpAt ?? Number.NaN),
      moved: clients.filter((c) => c.home === killedHome).length,
    });
  } else if (msg.type === 'check') {
    // Every client's board against the server's, once the writes have stopped.
    const { seq, sha1 } = msg as unknown as { seq: number; sha1: string };
    let atSeq = 0;
    let same = 0;
    for (const c of clients) {
      if (c.sync.seq === seq) atSeq++;
      if (c.sync.board && createHash('sha1').update(c.sync.board).digest('hex') === sha1) same++;
    }
    process.send!({ type: 'check', atSeq, same, minSeq: Math.min(...clients.map((c) => c.sync.seq)) });
  } else if (msg.type === 'stop') {
    for (const c of clients) c.sync.stop();
    process.exit(0);
  }
}
