// Places a pixel for a socket client through the write-pixel handler, so HTTP and WebSocket
// writes share one code path: by POSTing it to the writer processes (WRITER_URLS: the writer
// service in AWS, start:cluster's writers), where it shares a Redis call with the page's writes,
// by invoking the function (LAMBDA_ENDPOINT: a local runner's loopback Invoke API), or by calling
// the handler in process (`npm start`).
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { albEventOf } from '../lambdas/http/alb-event.ts';
import type { AlbHandler } from '../lambdas/http/handler.ts';
import { reportFailure } from '../core/observability/telemetry.ts';
import type { WriterPool } from '../core/http/writer-pool.ts';

export interface PlaceInput {
  x: unknown;
  y: unknown;
  color: unknown;
  token: string | null;
  /** X-Forwarded-For as the ALB would pass it for this client. */
  forwardedFor: string | undefined;
  /** CloudFront-Viewer-Address as the client's upgrade request carried it. */
  viewerAddress: string | undefined;
  idempotencyKey?: string;
}

export type PlaceReply =
  | { ok: true; seq: number; nextAllowedAt: number }
  | { ok: false; error: string; message: string; retryAfterMs?: number };

export interface PixelPlacer {
  place(input: PlaceInput): Promise<PlaceReply>;
  destroy(): void;
}

const UNAVAILABLE: PlaceReply = { ok: false, error: 'unavailable', message: 'The service is briefly unavailable. Please try again in a moment.', retryAfterMs: 1000 };

/** The ALB event write-pixel would get for this placement over HTTP. */
export function placeEvent(input: PlaceInput): ALBEvent {
  // The same address headers the upgrade had: write-pixel derives the same address from them.
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (input.forwardedFor) headers['x-forwarded-for'] = input.forwardedFor;
  if (input.viewerAddress) headers['cloudfront-viewer-address'] = input.viewerAddress;
  if (input.token) headers.authorization = `Bearer ${input.token}`;
  if (input.idempotencyKey) headers['idempotency-key'] = input.idempotencyKey;
  return albEventOf({ method: 'POST', path: '/api/pixels', headers, body: JSON.stringify({ x: input.x, y: input.y, color: input.color }) });
}

/** What write-pixel's HTTP answer means to a socket client. */
export function placeReply(result: ALBResult): PlaceReply {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(result.body ?? '{}') as Record<string, unknown>;
  } catch (err) {
    reportFailure('place-reply', err);
    return UNAVAILABLE;
  }
  if (result.statusCode === 201) return { ok: true, seq: body.seq as number, nextAllowedAt: body.nextAllowedAt as number };
  const reply: PlaceReply = { ok: false, error: String(body.error ?? 'internal'), message: String(body.message ?? 'The pixel was not placed.') };
  if (typeof body.retryAfterMs === 'number') reply.retryAfterMs = body.retryAfterMs;
  return reply;
}

export class LambdaPixelPlacer implements PixelPlacer {
  constructor(private readonly lambda: LambdaClient, private readonly functionName: string) {}

  static create(functionName: string, endpoint: string | null): LambdaPixelPlacer {
    const client = endpoint
      ? new LambdaClient({ endpoint, region: process.env.AWS_REGION ?? 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 })
      : new LambdaClient({ maxAttempts: 2 });
    return new LambdaPixelPlacer(client, functionName);
  }

  async place(input: PlaceInput): Promise<PlaceReply> {
    try {
      const out = await this.lambda.send(new InvokeCommand({ FunctionName: this.functionName, Payload: JSON.stringify(placeEvent(input)) }));
      if (out.FunctionError) throw new Error(`write-pixel failed: ${out.FunctionError}`);
      return placeReply(JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as ALBResult);
    } catch (err) {
      reportFailure('write-pixel-invoke', err);
      return UNAVAILABLE;
    }
  }

  destroy(): void {
    this.lambda.destroy();
  }
}

/** The writer processes (WRITER_URLS): POST /api/pixels as the page's would be, from this client's address. */
export class WriterPixelPlacer implements PixelPlacer {
  constructor(private readonly pool: WriterPool) {}

  async place(input: PlaceInput): Promise<PlaceReply> {
    const event = placeEvent(input);
    try {
      const answer = await this.pool.request('POST', event.path, event.headers ?? {}, Buffer.from(event.body ?? ''));
      const chunks: Buffer[] = [];
      for await (const chunk of answer) chunks.push(chunk as Buffer);
      return placeReply({ statusCode: answer.statusCode ?? 502, body: Buffer.concat(chunks).toString('utf8') });
    } catch (err) {
      // None took it, or the one that did stopped (the client's retry with its key finds out whether it was placed).
      reportFailure('writer-place', err);
      return UNAVAILABLE;
    }
  }

  destroy(): void {
    this.pool.close();
  }
}

/** The handler in this process: `npm start`, where the socket server and the API share one process. */
export class InProcessPixelPlacer implements PixelPlacer {
  constructor(private readonly handler: AlbHandler) {}

  async place(input: PlaceInput): Promise<PlaceReply> {
    try {
      return placeReply(await this.handler(placeEvent(input)));
    } catch (err) {
      reportFailure('write-pixel-call', err);
      return UNAVAILABLE;
    }
  }

  destroy(): void {}
}
