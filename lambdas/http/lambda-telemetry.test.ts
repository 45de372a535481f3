import { afterEach, describe, expect, it, vi } from 'vitest';
import { albEventOf } from './alb-event.ts';
import { albHandler } from './handler.ts';
import { json } from './responses.ts';
import { lambdaTelemetry, METRICS_NAMESPACE } from './lambda-telemetry.ts';
import { log, metrics, telemetry, useTelemetry } from '../../core/observability/telemetry.ts';
import { StoreUnavailableError } from '../../core/errors.ts';

/** Everything written to stdout and stderr while `work` runs, as parsed JSON lines. */
async function stdoutOf(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    await work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('Lambda handlers on Powertools', () => {
  const before = telemetry();
  afterEach(() => useTelemetry(before));

  it('log JSON lines carrying the invocation\'s request id, and flush metrics as EMF at its end', async () => {
    useTelemetry(lambdaTelemetry({ serviceName: 'pixel-board', level: 'info' }));
    const handler = albHandler('get-config', async () => {
      log.info('answered', { path: '/api/config' });
      metrics.count('placements');
      return json(200, {});
    });
    const lines = await stdoutOf(() => handler(albEventOf({ method: 'GET', path: '/api/config' }), { awsRequestId: 'req-42', functionName: 'place-get-config' }));
    expect(lines.find((l) => l.message === 'answered')).toMatchObject({ level: 'INFO', service: 'pixel-board', function_request_id: 'req-42', path: '/api/config' });
    const emf = lines.find((l) => '_aws' in l) as { _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] }; Placements: number };
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: METRICS_NAMESPACE, Metrics: [{ Name: 'Placements' }] });
    expect(emf.Placements).toBe(1);
  });

  it('write a labelled metric once per flush, summed, not a line per event (a writer refusing a flood)', async () => {
    const t = lambdaTelemetry({ serviceName: 'pixel-board', level: 'info' });
    const lines = await stdoutOf(async () => {
      for (let i = 0; i < 1000; i++) t.metrics.count('rejections', { reason: i % 10 < 7 ? 'cooldown' : 'ip' });
      t.metrics.observe('rebuild_duration', 120, { outcome: 'restored' });
      t.metrics.observe('rebuild_duration', 80, { outcome: 'restored' });
      t.endInvocation!();
    });
    const emf = lines.filter((l) => '_aws' in l);
    expect(emf).toHaveLength(3);
    expect(emf.filter((l) => 'Rejections' in l).map((l) => [l.reason, l.Rejections]).sort()).toEqual([['cooldown', 700], ['ip', 300]]);
    expect(emf.find((l) => 'RebuildDuration' in l)).toMatchObject({ outcome: 'restored', service: 'pixel-board', RebuildDuration: [120, 80] });
    expect(lines.filter((l) => l.level === 'WARN')).toEqual([]); // no "No application metrics" warning
    // Nothing is left to write at the next flush.
    expect((await stdoutOf(async () => t.endInvocation!())).filter((l) => '_aws' in l)).toEqual([]);
  });

  it('write unlabelled counts once per flush, summed: a writer\'s placements are not a line per 100, and no warning follows', async () => {
    const t = lambdaTelemetry({ serviceName: 'pixel-board', level: 'info' });
    const lines = await stdoutOf(async () => {
      for (let i = 0; i < 1000; i++) t.metrics.count('placements');
      t.endInvocation!();
      t.endInvocation!(); // a flush with nothing counted
    });
    expect(lines.filter((l) => '_aws' in l).map((l) => l.Placements)).toEqual([1000]);
    expect(lines.filter((l) => l.level === 'WARN')).toEqual([]);
  });

  it('count 503s by the store that failed, as a metric with a store dimension', async () => {
    useTelemetry(lambdaTelemetry({ serviceName: 'pixel-board', level: 'info' }));
    const handler = albHandler('write-pixel', async () => { throw new StoreUnavailableError('down', { store: 'cassandra' }); });
    let status = 0;
    const lines = await stdoutOf(async () => { status = (await handler(albEventOf({ method: 'POST', path: '/api/pixels' }), { awsRequestId: 'req-7' })).statusCode; });
    expect(status).toBe(503);
    expect(lines.find((l) => l.Unavailable === 1)).toMatchObject({ store: 'cassandra', service: 'pixel-board' });
    expect(lines.find((l) => l.level === 'WARN')).toMatchObject({ function_request_id: 'req-7', handler: 'write-pixel' });
  });
});
