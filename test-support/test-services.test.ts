import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeAbandonedTempDirs, tempDir } from './test-services.ts';

/** A pid no process has now: counted down from the kernel's highest. */
function deadPid(): number {
  const max = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
  for (let pid = max - 1; pid > 1; pid--) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
  throw new Error('no free pid');
}

describe('temp folders of killed runs', () => {
  it('are removed by the next run, while those of live processes and anything else stay', () => {
    const root = tempDir('abandoned');
    const dead = `pixels-${deadPid()}-cassandra-Ab12Cd`;
    mkdirSync(path.join(root, dead, 'data'), { recursive: true });
    writeFileSync(path.join(root, dead, 'data', 'sstable'), 'x'.repeat(1000));
    const mine = `pixels-${process.pid}-redis-Ef34Gh`;
    const init = 'pixels-1-redis-Ij56Kl'; // pid 1 is always alive
    for (const name of [mine, init, 'redis-Mn78Op', 'pixels-notes']) mkdirSync(path.join(root, name));

    expect(removeAbandonedTempDirs(root)).toEqual([dead]);
    expect(readdirSync(root).sort()).toEqual([init, mine, 'pixels-notes', 'redis-Mn78Op'].sort());
  });

  it('are named so: tempDir puts its own pid in the name', () => {
    const dir = tempDir('named');
    expect(path.basename(dir)).toMatch(new RegExp(`^pixels-${process.pid}-named-`));
    expect(existsSync(dir)).toBe(true);
  });
});
