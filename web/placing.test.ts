// The page's POST /api/pixels retries: what a load balancer or a briefly unavailable service
// answers is retried with the same Idempotency-Key; an answer about the pixel itself is not.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postPixel } from './placing.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** fetch answering `statuses` in turn, recording each request's Idempotency-Key. */
function answering(statuses: number[]): { keys: string[] } {
  const keys: string[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    keys.push((init.headers as Record<string, string>)['idempotency-key']!);
    return new Response('{}', { status: statuses[keys.length - 1] ?? 201 });
  });
  return { keys };
}

async function post(): Promise<Response | null> {
  vi.useFakeTimers();
  const pending = postPixel(1, 2, 3);
  await vi.advanceTimersByTimeAsync(60_000);
  return pending;
}

describe('placing a pixel over HTTP', () => {
  it.each([502, 503, 504])('retries a %i with the same Idempotency-Key, and answers with the retry', async (status) => {
    const { keys } = answering([status, 201]);
    expect((await post())?.status).toBe(201);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('gives up after four attempts, answering with the last', async () => {
    const { keys } = answering([502, 503, 504, 502, 201]);
    expect((await post())?.status).toBe(502);
    expect(new Set(keys).size).toBe(1);
    expect(keys).toHaveLength(4);
  });

  it.each([400, 429, 500])('answers a %i at once', async (status) => {
    const { keys } = answering([status]);
    expect((await post())?.status).toBe(status);
    expect(keys).toHaveLength(1);
  });
});
