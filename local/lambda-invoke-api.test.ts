import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import type { ALBResult } from 'aws-lambda';
import { startServiceFixture, type ServiceFixture } from './services/service-fixture.ts';
import { albEventOf } from '../lambdas/http/alb-event.ts';

describe('Lambda Invoke API of the local runner', () => {
  let f: ServiceFixture;
  let lambda: LambdaClient;
  const invoke = async (name: string, event: unknown): Promise<ALBResult> => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event) }));
    return JSON.parse(Buffer.from(out.Payload!).toString('utf8')) as ALBResult;
  };

  beforeAll(async () => {
    f = await startServiceFixture('embedded');
    lambda = new LambdaClient({ endpoint: f.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
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
});
