import { describe, expect, it } from 'vitest';
import { FileModerationLog } from './file-moderation-log.ts';
import { describeModerationLogContract } from './moderation-log.contract.ts';
import { tempDir } from '../../test-support/test-services.ts';

describeModerationLogContract('file', async () => {
  const dir = tempDir('moderation');
  let log = await FileModerationLog.open(dir);
  return {
    log,
    reopen: async () => { await log.close(); log = await FileModerationLog.open(dir); return log; },
    close: () => log.close(),
  };
});

describe('file moderation log', () => {
  it('sees at once what another process appended (the admin command while the service runs)', async () => {
    const dir = tempDir('moderation');
    const service = await FileModerationLog.open(dir);
    const command = await FileModerationLog.open(dir);
    const changed: number[] = [];
    const stop = service.watch(() => changed.push(1), 50);
    await command.setRole('u9', { userId: 'u9', role: 'moderator', by: 'cli', at: 1, reason: 'r' });
    expect(await service.role('u9')).toBe('moderator');
    await command.setRole('u8', { userId: 'u8', role: 'admin', by: 'cli', at: 1, reason: 'r' });
    await expect.poll(() => changed.length, { timeout: 3000 }).toBeGreaterThan(0);
    stop();
    await command.close();
    await service.close();
  });
});
