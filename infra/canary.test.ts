// The canary's script, run against the local runner with a plain HTTP step in place of
// Synthetics' executeHttpStep: it loads the board, starts a session and places its pixel, every run.
import http from 'node:http';
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { CANARY_SCRIPT, canaryPixel } from './canary.ts';
import { DEFAULTS } from './settings.ts';

type Step = (name: string, options: http.RequestOptions & { body?: string }, check: (res: IncomingMessage) => Promise<void>) => Promise<void>;
const canary = createRequire(import.meta.url)(CANARY_SCRIPT) as { run(step: Step, s: Record<string, unknown>): Promise<void> };

/** executeHttpStep's contract, over plain HTTP: the request options plus a body, then the check on the response. */
const step = (names: string[]): Step => (name, { body, ...options }, check) => new Promise((resolve, reject) => {
  names.push(name);
  const req = http.request(options, (res) => void check(res).then(resolve, reject));
  req.once('error', reject);
  req.end(body);
});

describe('the canary script', () => {
  let f: ServiceFixture;
  beforeAll(async () => { f = await startServiceFixture('embedded', { env: { BOARD_WIDTH: '100', BOARD_HEIGHT: '80' } }); });
  afterAll(async () => f?.close());

  const settings = (x: number, y: number, color: number) => {
    const url = new URL(f.url);
    return { host: url.hostname, port: Number(url.port), protocol: 'http:', userAgent: 'canary-test', width: 100, height: 80, x, y, color };
  };

  it('loads the board, starts a session and places its pixel in the corner, run after run (cooldown on)', async () => {
    const { x, y, color } = canaryPixel({ ...DEFAULTS, boardWidth: 100, boardHeight: 80, canaryColor: 5 });
    expect([x, y]).toEqual([99, 79]);
    for (let run = 0; run < 2; run++) {
      const steps: string[] = [];
      await canary.run(step(steps), settings(x, y, color));
      expect(steps).toEqual(['load the board', 'solve a challenge', 'start a session', 'place a pixel']);
    }
    const pixel = await (await fetch(`${f.url}/api/pixels/${x}/${y}`)).json();
    expect(pixel).toMatchObject({ color: 5 });
  });

  it('fails its run when a step does not do what a player needs', async () => {
    await expect(canary.run(step([]), settings(100, 0, 1))).rejects.toThrow(/POST \/api\/pixels.*400/);
    await expect(canary.run(step([]), { ...settings(0, 0, 1), width: 1000 })).rejects.toThrow(/GET \/api\/board/);
  });
});
