import { describe, expect, it } from 'vitest';
import { PersistenceGate } from './persistence-gate.ts';
import { PersistenceUnavailableError } from '../errors.ts';

function fakeLog() {
  const log = { up: true, pings: 0, async ping() { log.pings++; if (!log.up) throw new Error('down'); } };
  return log;
}

describe('persistence gate', () => {
  it('lets writes through while persistence has not failed, without probing', async () => {
    const log = fakeLog();
    const gate = new PersistenceGate(log, { probeIntervalMs: 1000, probeTimeoutMs: 100 });
    await gate.ready();
    expect(log.pings).toBe(0);
  });

  it('after a failure refuses writes at once, probing at most once per interval however many writes arrive', async () => {
    const log = fakeLog();
    log.up = false;
    const gate = new PersistenceGate(log, { probeIntervalMs: 1000, probeTimeoutMs: 100 });
    gate.failed(new Error('write timed out'), 10_000);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => gate.ready(10_500)));
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof PersistenceUnavailableError)).toBe(true);
    expect(log.pings).toBe(0); // the interval since the failure has not passed
    await expect(gate.ready(11_000)).rejects.toBeInstanceOf(PersistenceUnavailableError);
    expect(log.pings).toBe(1);
    await Promise.allSettled(Array.from({ length: 100 }, () => gate.ready(11_500)));
    expect(log.pings).toBe(1);
  });

  it('opens again as soon as a probe succeeds', async () => {
    const log = fakeLog();
    const gate = new PersistenceGate(log, { probeIntervalMs: 1000, probeTimeoutMs: 100 });
    gate.failed(new Error('down'), 0);
    expect(gate.open).toBe(false);
    await gate.ready(1000);
    expect(gate.open).toBe(true);
  });

  it('counts a probe that hangs past its timeout as failed', async () => {
    const gate = new PersistenceGate({ ping: () => new Promise(() => {}) }, { probeIntervalMs: 10, probeTimeoutMs: 50 });
    gate.failed(new Error('down'), 0);
    await expect(gate.ready(100)).rejects.toBeInstanceOf(PersistenceUnavailableError);
  });
});
