// A function bundled as the CDK app bundles it (esbuild, ESM, the aws-sdk alias) loads and runs:
// configured for Keyspaces, it gets as far as opening TLS to port 9142 with the SigV4 plugin.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { build } from 'esbuild';
import type { ALBResult } from 'aws-lambda';
import { LAMBDA_BUNDLE, REPO_ROOT } from './http-functions.ts';
import { startTestRedis } from '../test-support/test-services.ts';
import type { RedisProcess } from '../local/processes/redis-process.ts';
import { albEventOf } from '../lambdas/http/alb-event.ts';

describe('bundled Lambda function', () => {
  let redis: RedisProcess;
  // Inside the repository, so the bundle's external imports resolve from node_modules.
  const dir = mkdtempSync(path.join(REPO_ROOT, 'node_modules', '.bundle-test-'));
  beforeAll(async () => { redis = await startTestRedis(); });
  afterAll(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is small and reaches Keyspaces through the SigV4 plugin', async () => {
    const outfile = path.join(dir, 'index.mjs');
    await build({
      entryPoints: [path.join(REPO_ROOT, 'lambdas', 'get-me.ts')], bundle: true, platform: 'node', format: 'esm', minify: true,
      target: LAMBDA_BUNDLE.target, banner: { js: LAMBDA_BUNDLE.banner }, external: [...LAMBDA_BUNDLE.external, 'sharp'],
      alias: LAMBDA_BUNDLE.alias, keepNames: LAMBDA_BUNDLE.keepNames, outfile, logLevel: 'silent',
    });
    expect(statSync(outfile).size).toBeLessThan(2 * 1024 * 1024);
    Object.assign(process.env, {
      REDIS_URL: redis.url, CASSANDRA_CONTACT_POINTS: '127.0.0.1', CASSANDRA_FLAVOUR: 'keyspaces', CASSANDRA_REGION: 'eu-west-1',
      SESSION_SECRET: 's', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    });
    const logged = [vi.spyOn(console, 'warn').mockImplementation(() => {}), vi.spyOn(console, 'error').mockImplementation(() => {})];
    const { handler } = (await import(outfile)) as { handler: (e: unknown) => Promise<ALBResult> };
    const result = await handler(albEventOf({ method: 'GET', path: '/api/me' }));
    expect(result.statusCode).toBe(503);
    const lines = logged.flatMap((spy) => spy.mock.calls.flat()).join(' ');
    expect(lines).toMatch(/cannot reach Cassandra.*9142/s);
    expect(lines).toContain('"name":"StoreUnavailableError"');
    for (const spy of logged) spy.mockRestore();
  });
});
