import { describe, expect, it } from 'vitest';
import { outage, type Attempt } from './write-load.ts';

const a = (start: number, end: number, status: Attempt['status']): Attempt => ({ start, end, status });

describe('outage: what writers saw from a fault until writes were acknowledged again', () => {
  it('is 0 when no attempt failed', () => {
    expect(outage('f', [a(0, 10, 201), a(5, 20, 201)], 0).outageMs).toBe(0);
  });

  it('is -1 while nothing has been acknowledged since the first failure', () => {
    expect(outage('f', [a(0, 10, 201), a(5, 20, 'error'), a(30, 40, 503)], 0).outageMs).toBe(-1);
  });

  it('runs from the first failure to the next acknowledged write begun after it', () => {
    const report = outage('f', [a(0, 10, 201), a(20, 30, 'error'), a(40, 50, 503), a(52, 55, 502), a(60, 75, 201), a(61, 90, 201)], 0);
    expect(report).toMatchObject({ outageMs: 45, fast503s: 1, badGateway: 1, noAnswer: 1 });
  });

  it('ignores a write acknowledged while the failed one was still in flight (a kill cuts a slow write after a quick one passed)', () => {
    // The slow write began at 0 and was cut at 100; a quick one began at 10 and was acknowledged
    // at 20; writes were acknowledged again only from 400.
    const report = outage('f', [a(0, 100, 'error'), a(10, 20, 201), a(150, 160, 'error'), a(300, 400, 201)], 0);
    expect(report.outageMs).toBe(300);
  });
});
