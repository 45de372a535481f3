// POST /api/pixels {"x","y","color"} → 201 once the pixel is live and durable. An
// Idempotency-Key header makes retries safe: the same key gets the original answer.
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { checkPixelWrite } from '../core/domain/pixel-write.ts';
import { metrics } from '../core/observability/telemetry.ts';
import { retryAfterSeconds } from '../core/domain/cooldown.ts';
import { placePixel } from '../core/service/place-pixel.ts';
import { albHandler } from './http/handler.ts';
import { bodyBytes, header, requestIp } from './http/request.ts';
import { errorResponse, json } from './http/responses.ts';
import { requestSession } from './http/session.ts';
import { services } from './runtime.ts';
import { refusal, takePlacementCredit } from './http/guard.ts';

export const MAX_BODY_BYTES = 1024;
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,64}$/;

export const handler = albHandler('write-pixel', async (event) => {
  const result = await write(event);
  // Every refusal is counted by its code: a spike in one reason is what an operator looks for.
  if (result.statusCode >= 400 && result.statusCode < 500) metrics.count('rejections', { reason: rejectionReason(result) });
  return result;
});

function rejectionReason(result: ALBResult): string {
  try {
    const body = JSON.parse(result.body ?? '{}') as { error?: string; reason?: string };
    return body.error === 'rate_limited' && body.reason ? body.reason : (body.error ?? String(result.statusCode));
  } catch {
    return String(result.statusCode);
  }
}

async function write(event: ALBEvent): Promise<ALBResult> {
  const body = bodyBytes(event);
  if (body.length > MAX_BODY_BYTES) {
    return errorResponse(413, 'payload_too_large', `The body must be at most ${MAX_BODY_BYTES} bytes.`);
  }
  if (!/^application\/json\s*(;|$)/i.test(header(event, 'content-type') ?? '')) {
    return errorResponse(415, 'unsupported_media_type', 'Send the pixel as Content-Type: application/json.');
  }
  const idempotencyKey = header(event, 'idempotency-key') ?? null;
  if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    return errorResponse(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 64 letters, digits, "-" or "_".');
  }
  const s = await services();
  const session = requestSession(event, s.sessionSecret, s.config.sessionMaxAgeMs);
  if (!session) return errorResponse(401, 'unauthorized', 'Start a session (POST /api/session) before placing pixels.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return errorResponse(400, 'invalid_json', 'The body is not valid JSON.');
  }
  let check = checkPixelWrite(parsed, s.boardSize.value);
  // Off the board as last seen here: it may have grown since, so look again before refusing.
  if (!check.ok && (check.field === 'x' || check.field === 'y')) check = checkPixelWrite(parsed, await s.boardSize.refresh());
  if (!check.ok) return errorResponse(400, 'invalid_pixel', check.message, {}, { field: check.field });
  const refused = refusal(s, session);
  if (refused) return refused;
  const credit = await takePlacementCredit(s, session, (parsed as { challenge?: unknown }).challenge);
  if ('statusCode' in credit) return credit;

  const who = { userId: session.userId, ip: requestIp(event, s.config.clientAddress), sessionIssuedAt: session.issuedAt };
  let result: Awaited<ReturnType<typeof placePixel>> | null = null;
  try {
    result = await placePixel(s, check.write, who, { idempotencyKey });
  } finally {
    // A credit pays for a placement: one refused (or failed) costs nothing.
    const placedNew = result?.status === 'placed' && !result.replayed;
    if (credit.credit !== null && !placedNew) await s.guard.store.refundCredit(session.userId, credit.credit);
    if (placedNew) s.guard.defence.counted(session.issuedAt);
  }
  switch (result.status) {
    case 'rate_limited': {
      const message = result.reason === 'cooldown'
        ? 'You placed a pixel recently. Wait for your cooldown to end.'
        : 'Too many pixels were placed from your address. Wait a little.';
      return errorResponse(429, 'rate_limited', message,
        { 'retry-after': String(retryAfterSeconds(result.retryAfterMs)) }, { retryAfterMs: result.retryAfterMs, reason: result.reason });
    }
    case 'revoked':
      return errorResponse(401, 'unauthorized', 'This session was signed out. Start a new session to place pixels.');
    case 'out_of_bounds': {
      s.boardSize.saw(result);
      const off = checkPixelWrite(check.write, result);
      return errorResponse(400, 'invalid_pixel', off.ok ? 'The pixel is off the board.' : off.message, {}, { field: off.ok ? 'x' : off.field });
    }
    case 'key_reused':
      return errorResponse(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different pixel.');
    case 'closed': {
      const message = result.message ?? (result.state === 'ended' ? 'The event has ended: the board is closed.'
        : result.state === 'paused' ? 'The board is paused by its moderators.' : 'The board is not open yet.');
      const extra = { state: result.state, opensAt: result.opensAt, boardMessage: result.message };
      const headers: Record<string, string> = result.opensAt !== null ? { 'retry-after': String(retryAfterSeconds(result.opensAt - Date.now())) } : {};
      return errorResponse(423, 'board_closed', message, headers, extra);
    }
    case 'banned':
      return errorResponse(403, 'banned', result.until === null
        ? 'You are banned from placing pixels.'
        : `You are banned from placing pixels until ${new Date(result.until).toISOString()}.`, {}, { until: result.until });
    case 'protected':
      return errorResponse(403, 'protected', 'This area is protected by the moderators: only they may change it.');
    case 'placed': {
      const p = result.placement;
      return json(201, { x: p.x, y: p.y, color: p.color, seq: p.seq, placedAt: p.placedAt, nextAllowedAt: result.nextAllowedAt },
        result.replayed ? { 'idempotent-replayed': 'true' } : {});
    }
  }
}
