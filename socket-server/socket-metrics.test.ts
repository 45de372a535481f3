import { describe, expect, it, vi } from 'vitest';
import { publishConnections, CONNECTIONS_METRIC } from './socket-metrics.ts';

describe('the connections metric for autoscaling', () => {
  it('goes out as EMF with the service dimension the CDK app tracks', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { lines.push(String(chunk)); return true; });
    const stop = publishConnections('PixelBoard', 'place-dev-sockets', () => 1234, 1000);
    vi.advanceTimersByTime(1000);
    stop();
    spy.mockRestore();
    vi.useRealTimers();
    const emf = JSON.parse(lines.join('').trim()) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] } };
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'PixelBoard', Dimensions: [['service']] });
    expect(emf).toMatchObject({ service: 'place-dev-sockets', [CONNECTIONS_METRIC]: 1234 });
  });
});
