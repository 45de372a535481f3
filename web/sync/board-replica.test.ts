import { describe, expect, it } from 'vitest';
import { BoardReplica } from './board-replica.ts';
import { colorAt, createBoard, pixelIndex, setColorAt } from '../../core/domain/board-codec.ts';
import { decodePixelBatch, encodePixelBatch, type PixelUpdate } from '../../core/protocol/pixel-batch.ts';

const size = { width: 8, height: 4 };
const batch = (...updates: PixelUpdate[]) => decodePixelBatch(encodePixelBatch(updates));
const px = (seq: number, x: number, color: number): PixelUpdate => ({ seq, x, y: 1, color });

function loaded(seq = 10) {
  const replica = new BoardReplica(100);
  replica.load({ bytes: createBoard(size), seq, epoch: 5, ...size });
  return replica;
}

describe('board replica', () => {
  it('loads a board; empty bytes mean an empty board of the given size', () => {
    const replica = new BoardReplica();
    replica.load({ bytes: new Uint8Array(), seq: 3, epoch: 9, ...size });
    expect(replica.board).toHaveLength(16);
    expect([replica.seq, replica.epoch, replica.width, replica.height]).toEqual([3, 9, 8, 4]);
  });

  it('applies only pixels newer than its seq, in order, telling each one', () => {
    const replica = loaded(10);
    const seen: number[] = [];
    expect(replica.applyBatch(batch(px(9, 0, 1), px(10, 1, 2), px(11, 2, 3), px(12, 3, 4)), (seq) => seen.push(seq))).toBe(2);
    expect(seen).toEqual([11, 12]);
    expect(replica.seq).toBe(12);
    expect(colorAt(replica.board!, pixelIndex(size, 2, 1))).toBe(3);
    expect(colorAt(replica.board!, pixelIndex(size, 1, 1))).toBe(0);
  });

  it('holds frames that arrive out of order and applies them in seq order, stopping at a gap', () => {
    const replica = loaded(10);
    const seen: number[] = [];
    replica.enqueue(batch(px(12, 1, 1)));
    replica.enqueue(batch(px(11, 0, 1)));
    replica.enqueue(batch(px(15, 2, 1)));
    expect(replica.applyReady((seq) => seen.push(seq))).toEqual({ applied: 2, gapTo: 14 });
    expect(seen).toEqual([11, 12]);
    replica.applyBatch(batch(px(13, 3, 1), px(14, 4, 1)), (seq) => seen.push(seq));
    expect(replica.applyReady((seq) => seen.push(seq))).toEqual({ applied: 1, gapTo: null });
    expect(seen).toEqual([11, 12, 13, 14, 15]);
  });

  it('detects a gap only when a frame starts past seq + 1', () => {
    const replica = loaded(10);
    expect(replica.isGap(batch(px(11, 0, 1)))).toBe(false);
    expect(replica.isGap(batch(px(5, 0, 1)))).toBe(false);
    expect(replica.isGap(batch(px(12, 0, 1)))).toBe(true);
  });

  it('reconciles a board fetched at an older seq by replaying what it applied since, and takes the differences', () => {
    const replica = loaded(10);
    replica.applyBatch(batch(px(11, 0, 7)), () => {});
    const fetched = createBoard(size); // the server's board at seq 10: one pixel we somehow missed
    setColorAt(fetched, pixelIndex(size, 5, 3), 9);
    expect(replica.reconcile(fetched, 10)).toBe(1);
    expect(colorAt(replica.board!, pixelIndex(size, 5, 3))).toBe(9);
    expect(colorAt(replica.board!, pixelIndex(size, 0, 1))).toBe(7); // replayed, so not a difference
    expect(replica.reconcile(Uint8Array.from(replica.board!), 11)).toBe(0);
  });

  it('cannot reconcile a board newer than itself, or older than the updates it keeps', () => {
    const replica = new BoardReplica(2);
    replica.load({ bytes: createBoard(size), seq: 10, epoch: 1, ...size });
    for (let s = 11; s <= 14; s++) replica.applyBatch(batch(px(s, 0, 1)), () => {});
    expect(replica.reconcile(createBoard(size), 15)).toBeNull();
    expect(replica.reconcile(createBoard(size), 10)).toBeNull();
  });
});
