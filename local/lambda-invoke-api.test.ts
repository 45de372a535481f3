import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import type { ALBResult } from 'aws-lambda';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { albEventOf } from '../lambdas/http/alb-event.ts';

describe('Lambda Invoke API of the local runner', () => {
  let f: ServiceFixture;
  let lambda: LambdaClient;
  const invoke = async (name: string, event: unknown): Promise<ALBResult> => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event) }));
    return JSON.parse(Buffer.from(out.Payload!).toString('utf8')) as ALBResult;
  };

  beforeAll(async () => {
    // Proof of work off: this is about the Invoke API, and a session is one call then.
    f = await startServiceFixture('embedded', { env: { POW_DIFFICULTY: '0' } });
    lambda = new LambdaClient({ endpoint: f.invokeUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => { lambda.destroy(); await f.close(); });

  it('runs the same handlers for @aws-sdk/client-lambda: a session, then a pixel', async () => {
    const session = await invoke('create-session', albEventOf({ method: 'POST', path: '/api/session', headers: { 'x-forwarded-for': '127.0.0.1' } }));
    expect(session.statusCode).toBe(201);
    const { token } = JSON.parse(session.body!) as { token: string };
    const placed = await invoke('write-pixel', albEventOf({
      method: 'POST', path: '/api/pixels', body: JSON.stringify({ x: 9, y: 8, color: 3 }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-forwarded-for': '127.0.0.1' },
    }));
    expect(placed.statusCode).toBe(201);
    expect(JSON.parse(placed.body!)).toMatchObject({ x: 9, y: 8, color: 3, seq: 1 });
    const info = await fetch(`${f.url}/api/pixels/9/8`);
    expect(await info.json()).toMatchObject({ color: 3 });
  });

  it('returns a binary handler result base64-encoded, as ALB would', async () => {
    const board = await invoke('get-board', albEventOf({ method: 'GET', path: '/api/board' }));
    expect(board.isBase64Encoded).toBe(true);
    expect(Buffer.from(board.body!, 'base64').length).toBe(500_000);
  });

  it('answers an unknown function with ResourceNotFoundException', async () => {
    await expect(invoke('no-such-function', {})).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('is served only on its loopback listener, never on the port that serves the page and API', async () => {
    expect(new URL(f.invokeUrl).hostname).toBe('127.0.0.1');
    expect(f.invokeUrl).not.toBe(f.url);
    const event = albEventOf({ method: 'POST', path: '/api/session', headers: { 'x-forwarded-for': '198.51.100.7' } });
    const res = await fetch(`${f.url}/2015-03-31/functions/create-session/invocations`, { method: 'POST', body: JSON.stringify(event) });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });

  it('answers undecodable function names and hostile events with 400s, never a 500', async () => {
    const raw = (name: string, body: string) => fetch(`${f.invokeUrl}/2015-03-31/functions/${name}/invocations`, { method: 'POST', body });
    const badName = await raw('%E0%A4%A', '{}');
    expect(badName.status).toBe(400);
    expect(badName.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    expect((await raw('write-pixel', '{not json')).status).toBe(400);
    for (const event of [{}, [], null, 5, { httpMethod: 'POST', path: 'x' }, { httpMethod: 'GET', path: '/api/me', headers: { cookie: 5 } },
      { httpMethod: 'POST', path: '/api/pixels', headers: {}, body: { x: 1 } }, { httpMethod: 'GET', path: '/api/pixels', queryStringParameters: { since: ['1'] } }]) {
      for (const name of ['write-pixel', 'get-me', 'get-updates', 'get-board', 'create-session']) {
        const result = await invoke(name, event);
        expect({ name, event, status: result.statusCode }).toEqual({ name, event, status: 400 });
        expect(JSON.parse(result.body!)).toMatchObject({ error: 'invalid_request', message: expect.any(String) });
      }
    }
  });
});
