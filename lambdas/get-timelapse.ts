// GET /api/timelapse.webp?from&to[&frames&fps&x0&y0&x1&y1] → an animated WebP of the past.
// Generated once and stored in the media store under a key made from its parameters; later
// requests are served from there. One too large for a function's response (ALB allows 1 MB,
// base64 included) is redirected to MEDIA_URL instead.
import type { ALBResult } from 'aws-lambda';
import { parseTimelapseParams, timelapseKey } from '../core/history/timelapse-params.ts';
import { renderTimelapse } from '../core/history/timelapse.ts';
import { log } from '../core/observability/telemetry.ts';
import { albHandler } from './http/handler.ts';
import { query } from './http/request.ts';
import { binary, empty } from './http/responses.ts';
import { takeHeavyRead } from './http/limits.ts';
import { historyContext, orTooLarge } from './history/history-context.ts';
import { services } from './runtime.ts';

/** The largest body passed through the function: 1 MB base64 is 750 KB; the rest is headers' room. */
export const MAX_INLINE_BYTES = 700_000;
const IMMUTABLE = { 'cache-control': 'public, max-age=31536000, immutable' };

export const handler = albHandler('get-timelapse', async (event) => {
  const s = await services();
  const now = Date.now();
  // The region is on the board as it is now (it may have grown during the event).
  const size = await s.boardSize.refresh();
  const params = parseTimelapseParams((name) => query(event, name), size, now);
  const key = timelapseKey(params, size);
  const answer = async (bytesLong: number, bytes: () => Promise<Uint8Array | null>): Promise<ALBResult | null> => {
    if (bytesLong > MAX_INLINE_BYTES) return empty(302, { location: `${s.config.community.mediaUrl}${key}`, ...IMMUTABLE });
    const body = await bytes();
    return body ? binary(200, body, { 'content-type': 'image/webp', ...IMMUTABLE }) : null;
  };
  const stored = await s.community.media.size(key);
  if (stored !== null) {
    const served = await answer(stored, () => s.community.media.get(key));
    if (served) return served;
  }
  const capped = await takeHeavyRead(s, event, now);
  if (capped) return capped;
  return orTooLarge(async () => {
    const result = await renderTimelapse(historyContext(s), params, now);
    await s.community.media.put(key, result.webp, { contentType: 'image/webp' });
    log.info('timelapse generated', { key, bytes: result.webp.length, frames: params.frames, replayed: result.replayed, replayMs: Math.round(result.replayMs), encodeMs: Math.round(result.encodeMs) });
    return (await answer(result.webp.length, async () => result.webp))!;
  });
});
