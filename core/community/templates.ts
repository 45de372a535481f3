// Templates: creating one (checked, quantised, stored in persistence and made known to the
// tracker) and reading its progress. The tracker (template-tracker.ts) keeps the counts; until
// it has counted a new template, or if the live store lost it, a read counts it once from the
// live board.
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { BadRequestError } from '../errors.ts';
import { colorAt, type BoardSize } from '../domain/board-codec.ts';
import type { BoardReader } from '../board-store/board-store.ts';
import { NO_PIXEL, type CommunityStore, type TemplateMeta, type TrackedTemplate } from './community-store.ts';
import type { TemplateRecords } from './template-records.ts';
import type { MediaStore } from '../media/media-store.ts';

export interface TemplateContext {
  size: BoardSize;
  store: Pick<BoardReader, 'snapshot'>;
  community: { live: CommunityStore; records: TemplateRecords; media: MediaStore };
}

export const imageKey = (id: string) => `templates/${id}.png`;
export const targetKey = (id: string) => `templates/${id}.target.gz`;

export const newTemplateSchema = z.object({
  name: z.string().trim().min(1).max(64),
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  image: z.string().min(1),
  dither: z.boolean().optional(),
}).strict();

export type NewTemplate = z.infer<typeof newTemplateSchema>;

/** The request body, checked: 400 invalid_json / invalid_template (with the field) otherwise. */
export function parseNewTemplate(body: string): NewTemplate {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new BadRequestError('invalid_json', 'The body is not valid JSON.', { cause: err });
  }
  const parsed = newTemplateSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'body');
    throw new BadRequestError('invalid_template', `"${field}": ${field === 'name' ? 'a name of 1 to 64 characters is required' : issue.message}.`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(parsed.data.image.replace(/\s/g, ''))) throw new BadRequestError('invalid_template', '"image": not base64.');
  return parsed.data;
}

/** The quantised image as the tracker needs it, plus its PNG: from template-image.ts (sharp). */
export interface PreparedImage {
  width: number;
  height: number;
  target: Uint8Array;
  pixels: number;
  png: Uint8Array;
}

/** Stores a checked, quantised template and makes it known to the tracker. */
export async function storeTemplate(ctx: TemplateContext, input: Pick<NewTemplate, 'name' | 'x' | 'y'>, image: PreparedImage, createdBy: string, now: number): Promise<TemplateMeta> {
  const { width, height } = ctx.size;
  if (input.x + image.width > width || input.y + image.height > height) {
    throw new BadRequestError('off_board', `A ${image.width}×${image.height} template at (${input.x}, ${input.y}) does not fit on the ${width}×${height} board.`);
  }
  const meta: TemplateMeta = { id: randomBytes(8).toString('base64url'), name: input.name, x: input.x, y: input.y, width: image.width, height: image.height, pixels: image.pixels, createdAt: now };
  // Media first, then the row: a row always has its image and target.
  await ctx.community.media.put(targetKey(meta.id), gzipSync(image.target), { contentType: 'application/gzip' });
  await ctx.community.media.put(imageKey(meta.id), image.png, { contentType: 'image/png' });
  await ctx.community.records.put({ ...meta, createdBy });
  await ctx.community.live.register({ ...meta, target: image.target });
  return meta;
}

export interface TemplateProgress extends Omit<TemplateMeta, 'createdAt'> {
  correct: number;
  wrong: number;
  griefedLastHour: number;
  updatedAtSeq: number;
}

/** The template as the tracker knows it; re-registered from persistence if the live store lost it. */
async function tracked(ctx: TemplateContext, id: string): Promise<TrackedTemplate | null> {
  const [known] = await ctx.community.live.tracked([id]);
  if (known) return known;
  const record = await ctx.community.records.get(id);
  if (!record) return null;
  const gz = await ctx.community.media.get(targetKey(id));
  if (!gz) return null;
  const { createdBy: _by, ...meta } = record;
  const template = { ...meta, target: new Uint8Array(gunzipSync(gz)) };
  await ctx.community.live.register(template);
  return template;
}

/** Counts a template on a board (the fallback before the tracker has). */
export function countCorrect(template: Pick<TrackedTemplate, 'x' | 'y' | 'width' | 'height' | 'target'>, board: Uint8Array, size: BoardSize): number {
  let correct = 0;
  for (let ty = 0; ty < template.height; ty++) {
    for (let tx = 0; tx < template.width; tx++) {
      const c = template.target[ty * template.width + tx]!;
      const bx = template.x + tx;
      const by = template.y + ty;
      if (c !== NO_PIXEL && bx < size.width && by < size.height && colorAt(board, by * size.width + bx) === c) correct++;
    }
  }
  return correct;
}

export async function templateProgress(ctx: TemplateContext, id: string, now: number): Promise<TemplateProgress | null> {
  let meta = await ctx.community.live.meta(id);
  let counts = meta ? await ctx.community.live.counts(id, now) : null;
  let correct = counts?.correct ?? null;
  let seq = counts?.seq ?? null;
  if (!meta || correct === null) {
    const template = await tracked(ctx, id);
    if (!template) return null;
    const { target: _target, ...known } = template;
    meta = known;
    counts ??= await ctx.community.live.counts(id, now);
    const snap = await ctx.store.snapshot();
    correct = snap ? countCorrect(template, snap.bytes, snap) : 0;
    seq = snap?.seq ?? 0;
  }
  const { createdAt: _at, ...rest } = meta;
  return { ...rest, correct, wrong: meta.pixels - correct, griefedLastHour: counts?.griefedLastHour ?? 0, updatedAtSeq: seq ?? 0 };
}
