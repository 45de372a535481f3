// Replays an exported placements.csv into a board: what anyone holding the archive can do,
// and what the export's round-trip test checks against the live board.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { createBoard, pixelIndex, setColorAt, type BoardSize } from '../domain/board-codec.ts';

export async function replayCsv(file: string, size: BoardSize): Promise<{ board: Uint8Array; rows: number; lastSeq: number }> {
  const board = createBoard(size);
  let rows = 0;
  let lastSeq = 0;
  const parser = createReadStream(file).pipe(parse({ columns: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    const seq = Number(row.seq);
    if (seq <= lastSeq) throw new Error(`placements.csv is not in seq order at seq ${seq}`);
    setColorAt(board, pixelIndex(size, Number(row.x), Number(row.y)), Number(row.color));
    lastSeq = seq;
    rows++;
  }
  return { board, rows, lastSeq };
}
