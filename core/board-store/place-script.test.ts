import { describe, expect, it } from 'vitest';
import { PLACE_PIXELS_LUA } from './place-script.ts';
import { CALL_NUMBERS_FORMAT, packCallNumbers, packPixelRecords, placedValueFormat, type CallSettings } from './place-args.ts';
import { REPLY_VALUES, type ReplyKind } from './place-replies.ts';
import { decodePixelBatch, encodeBatchFromRecords, PIXEL_RECORD_BYTES, batchToUpdates } from '../protocol/pixel-batch.ts';

/** The values after a kind in a Lua `answer(...)`: top-level commas, outside brackets and strings. */
function valuesAfterKind(rest: string): number {
  let depth = 0;
  let quoted = false;
  let commas = 0;
  for (const ch of rest) {
    if (ch === "'") quoted = !quoted;
    else if (quoted) continue;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) commas++;
  }
  return commas;
}

describe('the write script\'s answers, as the Lua makes them', () => {
  it('give each kind as many values as the reply\'s reader takes (REPLY_VALUES), wherever the script answers', () => {
    const answers = [
      // answer('kind', values…) to the end of its line, so a value's own brackets stay in it
      ...[...PLACE_PIXELS_LUA.matchAll(/answer\('(\w+)'(.*?)\)(?: break)?(?: end)*$/gm)].map((m) => [m[1]!, m[2]!] as const),
      // a placement's kind, written to the replies directly: it has no values
      ...[...PLACE_PIXELS_LUA.matchAll(/replies\[nReplies\] = '(\w+)'/g)].map((m) => [m[1]!, ''] as const),
    ];
    expect(new Set(answers.map(([kind]) => kind))).toEqual(new Set(Object.keys(REPLY_VALUES)));
    for (const [kind, rest] of answers) expect([kind, valuesAfterKind(rest)]).toEqual([kind, REPLY_VALUES[kind as ReplyKind]]);
  });
});

describe('the pixel records a write call hands the script', () => {
  it('are the wire protocol\'s records, one per write in order, so a stream entry made of them decodes as the pixels placed', () => {
    const writes = [{ x: 0, y: 0, color: 0 }, { x: 2999, y: 1999, color: 15 }, { x: 256, y: 513, color: 7 }];
    const records = packPixelRecords(writes);
    expect(records.length).toBe(writes.length * PIXEL_RECORD_BYTES);
    const updates = batchToUpdates(decodePixelBatch(encodeBatchFromRecords(10, [records])));
    expect(updates).toEqual(writes.map((w, i) => ({ seq: 10 + i, ...w })));
  });
});

describe('the placement a write with an Idempotency-Key stores', () => {
  it('is a format the script fills with the seq and the version alone, a % in the key name kept as it is', () => {
    expect(placedValueFormat(1_700_000_000_123, 3, 4, 5, '{p}:idem:u%d:k')).toBe('1700000000123|%d:3:4:5:1700000000123:%d|{p}:idem:u%%d:k');
  });
});

describe('the call\'s numbers (the script\'s first argument)', () => {
  it('are unpacked by the script into the locals named for what the store packs, in the same order', () => {
    const settings: CallSettings = {
      width: 1, height: 2, cooldownMs: 3, placementsPerIp: 4, updatesKept: 5, publishEachWrite: true, idempotencyTtlMs: 7, placedBucketMs: 8,
    };
    const packed = packCallNumbers(settings, [{ now: 10 }, { now: 9.5 }, { now: 12.2 }]);
    const values = Array.from({ length: packed.length / 8 }, (_, i) => packed.readDoubleLE(i * 8));
    // What each of the script's locals must hold; the call's times are whole milliseconds, widened.
    const expected: Record<string, number> = {
      configuredWidth: 1, configuredHeight: 2, defaultCooldown: 3, ipLimit: 4, kept: 5, publishFlag: 1, idemWindow: 7, bucketWidth: 8, minNow: 9, maxNow: 13,
    };
    const unpacked = new RegExp(`local ([\\w, ]+) =\\s*unpackNumbers\\('${CALL_NUMBERS_FORMAT}', ARGV\\[1\\]\\)`).exec(PLACE_PIXELS_LUA);
    const locals = unpacked![1]!.split(',').map((name) => name.trim());
    expect(CALL_NUMBERS_FORMAT.slice(1)).toBe('d'.repeat(locals.length));
    expect(Object.fromEntries(locals.map((name, i) => [name, values[i]]))).toEqual(expected);
  });
});
