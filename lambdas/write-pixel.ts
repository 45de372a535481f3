// POST /api/pixels {"x","y","color"} → 201 once the pixel is live and durable.
import { checkPixelWrite } from '../core/domain/pixel-write.ts';
import { retryAfterSeconds } from '../core/domain/cooldown.ts';
import { placePixel } from '../core/service/place-pixel.ts';
import { albHandler } from './http/handler.ts';
import { bodyBytes, header, requestIp } from './http/request.ts';
import { errorResponse, json } from './http/responses.ts';
import { requestSession } from './http/session.ts';
import { services } from './runtime.ts';

export const MAX_BODY_BYTES = 1024;

export const handler = albHandler('write-pixel', async (event) => {
  const body = bodyBytes(event);
  if (body.length > MAX_BODY_BYTES) {
    return errorResponse(413, 'payload_too_large', `The body must be at most ${MAX_BODY_BYTES} bytes.`);
  }
  if (!/^application\/json\s*(;|$)/i.test(header(event, 'content-type') ?? '')) {
    return errorResponse(415, 'unsupported_media_type', 'Send the pixel as Content-Type: application/json.');
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
  const check = checkPixelWrite(parsed, s.config.board);
  if (!check.ok) return errorResponse(400, 'invalid_pixel', check.message, {}, { field: check.field });

  const result = await placePixel(s, check.write, { userId: session.userId, ip: requestIp(event, s.config.trustedProxyHops) });
  if (result.status === 'rate_limited') {
    const message = result.reason === 'cooldown'
      ? 'You placed a pixel recently. Wait for your cooldown to end.'
      : 'Too many pixels were placed from your address. Wait a little.';
    return errorResponse(429, 'rate_limited', message,
      { 'retry-after': String(retryAfterSeconds(result.retryAfterMs)) }, { retryAfterMs: result.retryAfterMs });
  }
  const p = result.placement;
  return json(201, { x: p.x, y: p.y, color: p.color, seq: p.seq, placedAt: p.placedAt, nextAllowedAt: result.nextAllowedAt });
});
