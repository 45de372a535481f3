// Caps on work a request can start: heavy reads (history PNGs, timelapses, heatmaps that are
// not cached yet) per address and in all, per minute. A CDN serves repeats; these caps bound
// what varying the URL can make the functions compute.
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { retryAfterSeconds } from '../../core/domain/cooldown.ts';
import type { Services } from '../../core/service/services.ts';
import { countEvent } from '../../core/observability/telemetry.ts';
import { addressKey } from '../../core/domain/client-ip.ts';
import { requestIp } from './request.ts';
import { errorResponse } from './responses.ts';

const MINUTE = 60_000;

/** Null when the request may go on; a 429 (with Retry-After) when a cap is reached. */
export async function takeHeavyRead(s: Services, event: ALBEvent, now = Date.now()): Promise<ALBResult | null> {
  const { heavyReadsPerIpPerMinute, heavyReadsPerMinute } = s.config.community;
  const ip = addressKey(requestIp(event, s.config.clientAddress)); // an IPv6 address counts as its /64
  const mine = await s.community.live.take('heavy', ip, heavyReadsPerIpPerMinute, MINUTE, now);
  const all = mine.allowed ? await s.community.live.take('heavy-all', 'all', heavyReadsPerMinute, MINUTE, now) : mine;
  if (mine.allowed && all.allowed) return null;
  countEvent(mine.allowed ? 'heavy-read.capped-all' : 'heavy-read.capped-ip');
  const retryAfterMs = mine.allowed ? all.retryAfterMs : mine.retryAfterMs;
  return errorResponse(429, 'rate_limited', mine.allowed
    ? 'The service is computing many history images right now. Try again in a moment.'
    : 'Too many history, timelapse or heatmap requests from your address. Try again in a moment.',
  { 'retry-after': String(retryAfterSeconds(retryAfterMs)) }, { retryAfterMs });
}
