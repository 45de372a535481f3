import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilePixelLog, encodeRecord } from './file-pixel-log.ts';
import { describePixelLogContract, placement } from './pixel-log.contract.ts';
import { tempDir } from '../../test-support/test-services.ts';
import { telemetry, useTelemetry } from '../observability/telemetry.ts';

describePixelLogContract('file', async () => {
  const dir = tempDir('pixel-log');
  let log = await FilePixelLog.open(dir);
  return {
    log,
    reopen: async () => { await log.close(); log = await FilePixelLog.open(dir); return log; },
    close: () => log.close(),
  };
});

describe('file pixel log', () => {
  it('drops a torn record at the end of the file (a crash mid-write) and keeps the rest', async () => {
    const dir = tempDir('pixel-log');
    const log = await FilePixelLog.open(dir);
    await log.record(placement(1));
    await log.close();
    const file = path.join(dir, 'pixels.log');
    appendFileSync(file, encodeRecord(placement(2)).subarray(0, 10));
    const reopened = await FilePixelLog.open(dir);
    expect((await reopened.pixel(1, 1))?.seq).toBe(1);
    expect(statSync(file).size).toBe(encodeRecord(placement(1)).length);
    await reopened.record(placement(3));
    await reopened.close();
    const again = await FilePixelLog.open(dir);
    expect((await again.pixel(1, 1))?.seq).toBe(3);
    expect(readFileSync(file).length).toBe(2 * encodeRecord(placement(1)).length);
    await again.close();
  });

  it('skips a damaged record in the middle, keeps every valid record after it, quarantines the bytes and never reuses a seq', async () => {
    const dir = tempDir('pixel-log');
    const log = await FilePixelLog.open(dir);
    for (let seq = 1; seq <= 1000; seq++) await log.record(placement(seq, { x: seq % 50, y: Math.floor(seq / 50) }));
    await log.close();
    const file = path.join(dir, 'pixels.log');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 10)]! ^= 0x20; // one flipped bit, 10 % into the file
    writeFileSync(file, bytes);
    const errors: string[] = [];
    const before = telemetry();
    useTelemetry({ ...before, log: { ...before.log, error: (message) => errors.push(message) } });
    let reopened: FilePixelLog;
    try {
      reopened = await FilePixelLog.open(dir);
    } finally {
      useTelemetry(before);
    }
    const seqs: number[] = [];
    await reopened.replay(0, Number.POSITIVE_INFINITY, (p) => seqs.push(p.seq));
    // Each of the 1000 placements is a different pixel: exactly the one damaged record is missing.
    expect(seqs.length).toBe(999);
    expect(Math.max(...seqs)).toBe(1000);
    expect(errors.some((e) => /damaged/.test(e))).toBe(true);
    expect(readdirSync(dir).some((name) => name.startsWith('pixels.log.damaged-'))).toBe(true);
    expect(await reopened.seqFloor()).toBeGreaterThanOrEqual(1001);
    expect(statSync(file).size).toBe(bytes.length); // nothing valid was cut away
    await reopened.close();
  });

  it('a log with no damage has the highest recorded seq as its floor', async () => {
    const dir = tempDir('pixel-log');
    const log = await FilePixelLog.open(dir);
    for (let seq = 1; seq <= 20; seq++) await log.record(placement(seq));
    expect(await log.seqFloor()).toBe(20);
    await log.close();
  });
});
