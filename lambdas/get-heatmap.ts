// GET /api/heatmap.png?since=<ms>[&until=<ms>] → placements per pixel in the window. Without
// `until` the window ends now and a CDN may share it for 10 s (pages round `since` to the minute,
// so viewers share the URL); with a settled `until` the answer never changes.
import { BadRequestError } from '../core/errors.ts';
import { countPlacements, heatmapPng } from '../core/history/heatmap.ts';
import { SETTLED_MS } from '../core/history/history-plan.ts';
import { albHandler } from './http/handler.ts';
import { binary } from './http/responses.ts';
import { takeHeavyRead } from './http/limits.ts';
import { historyContext, intQuery, orTooLarge, RecentAnswers } from './history/history-context.ts';
import { services } from './runtime.ts';

const recent = new RecentAnswers<Buffer>(4);

export const handler = albHandler('get-heatmap', async (event) => {
  const s = await services();
  const now = Date.now();
  const since = intQuery(event, 'since');
  if (since === undefined) throw new BadRequestError('invalid_since', '"since" (ms epoch) is required.');
  const given = intQuery(event, 'until');
  const until = given ?? now;
  if (until > now) throw new BadRequestError('invalid_until', '"until" is in the future.');
  if (since >= until) throw new BadRequestError('invalid_since', '"since" must be before "until".');
  const settled = given !== undefined && until <= now - SETTLED_MS;
  const headers = { 'content-type': 'image/png', 'cache-control': settled ? 'public, max-age=31536000, immutable' : 'public, max-age=10' };
  const key = `${since}:${given ?? Math.floor(now / 10_000)}`;
  const hit = recent.get(key);
  if (hit) return binary(200, hit, headers);
  const capped = await takeHeavyRead(s, event, now);
  if (capped) return capped;
  return orTooLarge(async () => {
    const ctx = historyContext(s);
    const png = await heatmapPng(await countPlacements(ctx, since, until, now));
    recent.set(key, png);
    return binary(200, png, headers);
  });
});
