// BoardSync clients in Node (the `ws` package as their WebSocket), recording every seq they
// apply, for the realtime tests and benchmarks.
import { WebSocket } from 'ws';
import { BoardSync, type BoardSyncOptions, type SocketLike } from '../web/sync/board-sync.ts';

export interface RecordingSync {
  sync: BoardSync;
  /** Every seq the client applied from a frame or a repair, in the order it applied them. */
  seen: number[];
  /** The seq of the board the client first loaded. */
  startSeq(): number;
}

export function nodeSync(options: Omit<BoardSyncOptions, 'openSocket'> & { openSocket?: BoardSyncOptions['openSocket'] }): RecordingSync {
  const sync = new BoardSync({
    checkIntervalMs: 0,
    openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    ...options,
  });
  const seen: number[] = [];
  let first: number | null = null;
  sync.on('board', () => { first ??= sync.seq; });
  sync.on('pixel', (seq) => seen.push(seq));
  sync.start();
  return { sync, seen, startSeq: () => first ?? 0 };
}

export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitUntilAsync(what: string, condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** True when `seen` is exactly from+1, from+2, … to. */
export function sawEverySeqOnce(seen: readonly number[], from: number, to: number): boolean {
  if (seen.length !== to - from) return false;
  return seen.every((seq, i) => seq === from + 1 + i);
}
