// GET /api/board.png?at=<ms> or ?seq=<n>: the board as it was, exactly (core/history/board-at.ts).
// Immutable once settled (the URL determines it); capped per address when not cached here.
import type { ALBEvent, ALBResult } from 'aws-lambda';
import type { Services } from '../../core/service/services.ts';
import { BadRequestError } from '../../core/errors.ts';
import { boardAt } from '../../core/history/board-at.ts';
import { boardPng } from '../../core/history/board-image.ts';
import { binary } from '../http/responses.ts';
import { takeHeavyRead } from '../http/limits.ts';
import { historyContext, intQuery, orTooLarge, RecentAnswers } from './history-context.ts';

const recent = new RecentAnswers<{ png: Buffer; seq: number }>(8);

export async function pastBoardPng(event: ALBEvent, s: Services, now = Date.now()): Promise<ALBResult> {
  const at = intQuery(event, 'at');
  const seq = intQuery(event, 'seq');
  if (at !== undefined && seq !== undefined) throw new BadRequestError('invalid_query', 'Ask for "at" or "seq", not both.');
  const moment = at !== undefined ? { at } : { seq: seq! };
  const key = at !== undefined ? `at:${at}` : `seq:${seq}`;
  const immutable = { 'cache-control': 'public, max-age=31536000, immutable' };
  const hit = recent.get(key);
  if (hit) return binary(200, hit.png, { 'content-type': 'image/png', 'x-board-seq': String(hit.seq), ...immutable });
  const capped = await takeHeavyRead(s, event, now);
  if (capped) return capped;
  return orTooLarge(async () => {
    const past = await boardAt(historyContext(s), moment, now);
    const png = await boardPng(past.bytes, past.size);
    if (past.settled) recent.set(key, { png, seq: past.seq });
    return binary(200, png, {
      'content-type': 'image/png', 'x-board-seq': String(past.seq),
      ...(past.settled ? immutable : { 'cache-control': 'public, max-age=5' }),
    });
  });
}
