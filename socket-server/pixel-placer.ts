// Places a pixel for a socket client by invoking the write-pixel function (Lambda in AWS, the
// local runner's Lambda Invoke API locally), so HTTP and WebSocket writes share one code path.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ALBResult } from 'aws-lambda';
import { albEventOf } from '../lambdas/http/alb-event.ts';

export interface PlaceInput {
  x: unknown;
  y: unknown;
  color: unknown;
  token: string | null;
  /** X-Forwarded-For as the ALB would pass it for this client. */
  forwardedFor: string;
}

export type PlaceReply =
  | { ok: true; seq: number; nextAllowedAt: number }
  | { ok: false; error: string; message: string; retryAfterMs?: number };

export interface PixelPlacer {
  place(input: PlaceInput): Promise<PlaceReply>;
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
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': input.forwardedFor };
    if (input.token) headers.authorization = `Bearer ${input.token}`;
    const event = albEventOf({ method: 'POST', path: '/api/pixels', headers, body: JSON.stringify({ x: input.x, y: input.y, color: input.color }) });
    let result: ALBResult;
    try {
      const out = await this.lambda.send(new InvokeCommand({ FunctionName: this.functionName, Payload: JSON.stringify(event) }));
      if (out.FunctionError) throw new Error(`write-pixel failed: ${out.FunctionError}`);
      result = JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as ALBResult;
    } catch (err) {
      console.warn(`[socket] write-pixel invoke failed: ${(err as Error).message}`);
      return { ok: false, error: 'unavailable', message: 'The service is briefly unavailable. Please try again in a moment.', retryAfterMs: 1000 };
    }
    const body = JSON.parse(result.body ?? '{}') as Record<string, unknown>;
    if (result.statusCode === 201) return { ok: true, seq: body.seq as number, nextAllowedAt: body.nextAllowedAt as number };
    const reply: PlaceReply = { ok: false, error: String(body.error ?? 'internal'), message: String(body.message ?? 'The pixel was not placed.') };
    if (typeof body.retryAfterMs === 'number') reply.retryAfterMs = body.retryAfterMs;
    return reply;
  }

  destroy(): void {
    this.lambda.destroy();
  }
}
