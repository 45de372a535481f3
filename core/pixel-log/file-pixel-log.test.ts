import { appendFileSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilePixelLog, encodeRecord } from './file-pixel-log.ts';
import { describePixelLogContract, placement } from './pixel-log.contract.ts';
import { tempDir } from '../../local/services/test-services.ts';

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
});
