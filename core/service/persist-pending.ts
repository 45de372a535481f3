// Placements the live store applied but whose persistence was never confirmed (the writer got
// a store fault, or died) are recorded again. Recording is idempotent, so doing it twice is safe.
import type { BoardStore } from '../board-store/board-store.ts';
import type { PixelLog } from '../pixel-log/pixel-log.ts';

export async function persistPending(store: BoardStore, log: PixelLog, placedBefore: number): Promise<number> {
  let total = 0;
  while (true) {
    const batch = await store.pendingPersistence(placedBefore, 500);
    if (batch.length === 0) return total;
    await Promise.all(batch.map(async (p) => {
      await log.record(p);
      await store.markPersisted(p);
    }));
    total += batch.length;
  }
}
