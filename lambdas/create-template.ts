// POST /api/templates {"name","x","y","image": <base64 PNG>, "dither"?} → 201 {"id","url"}.
// Session required; capped per address per hour. The image is quantised to the palette.
import { retryAfterSeconds } from '../core/domain/cooldown.ts';
import { BadRequestError } from '../core/errors.ts';
import { parseNewTemplate, storeTemplate } from '../core/community/templates.ts';
import { quantiseTemplateImage, templatePng, TEMPLATE_MAX_BYTES } from '../core/community/template-image.ts';
import { albHandler } from './http/handler.ts';
import { bodyBytes, header, requestIp } from './http/request.ts';
import { addressKey } from '../core/domain/client-ip.ts';
import { errorResponse, json } from './http/responses.ts';
import { liveSession } from './http/session.ts';
import { services } from './runtime.ts';

const HOUR = 3_600_000;

export const handler = albHandler('create-template', async (event) => {
  if (!/^application\/json\s*(;|$)/i.test(header(event, 'content-type') ?? '')) {
    return errorResponse(415, 'unsupported_media_type', 'Send the template as Content-Type: application/json.');
  }
  const s = await services();
  const session = await liveSession(event, s);
  if (!session) return errorResponse(401, 'unauthorized', 'Start a session (POST /api/session) before creating a template.');
  const input = parseNewTemplate(bodyBytes(event).toString('utf8'));
  const image = Buffer.from(input.image, 'base64');
  if (image.length > TEMPLATE_MAX_BYTES) throw new BadRequestError('image_too_large', `The image is ${image.length} bytes; at most ${TEMPLATE_MAX_BYTES} (1 MiB).`);
  const now = Date.now();
  const slot = await s.community.live.take('templates', addressKey(requestIp(event, s.config.clientAddress)), s.config.community.templatesPerIpPerHour, HOUR, now);
  if (!slot.allowed) {
    return errorResponse(429, 'rate_limited', 'Too many templates were created from your address. Try again later.',
      { 'retry-after': String(retryAfterSeconds(slot.retryAfterMs)) }, { retryAfterMs: slot.retryAfterMs });
  }
  const q = await quantiseTemplateImage(image, input.dither ?? false);
  const meta = await storeTemplate({ ...s, size: await s.boardSize.refresh() }, input, { ...q, png: await templatePng(q) }, session.userId, now);
  return json(201, { id: meta.id, url: `/api/templates/${meta.id}` }, { location: `/api/templates/${meta.id}` });
});
