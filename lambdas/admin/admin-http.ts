// What every admin function shares: the caller's session and role, checked on every call
// against persistence (no role is trusted from the token, so a revoke counts at once), and
// request bodies and queries read by zod schemas into clear 400s.
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { z } from 'zod';
import { roleAllows, type Rect, type Role } from '../../core/domain/moderation.ts';
import type { BoardSize } from '../../core/domain/board-codec.ts';
import { BadRequestError, RefusedError } from '../../core/errors.ts';
import type { Services } from '../../core/service/services.ts';
import type { Session } from '../../core/domain/session-token.ts';
import { albHandler, type AlbHandler } from '../http/handler.ts';
import { bodyBytes, header, query } from '../http/request.ts';
import { liveSession } from '../http/session.ts';
import { services } from '../runtime.ts';

export const MAX_ADMIN_BODY_BYTES = 4096;

export interface AdminCall {
  s: Services;
  session: Session;
  role: Role;
  /** Who the audit log names. */
  actor: string;
}

/** The caller, if their live session's user holds at least `needed`; otherwise 401 or 403 (and nothing is read or changed). */
export async function authorise(event: ALBEvent, needed: Role): Promise<AdminCall> {
  const s = await services();
  const session = await liveSession(event, s);
  if (!session) throw new RefusedError(401, 'unauthorized', 'Sign in: no valid session.');
  const role = await s.moderation.role(session.userId);
  if (!role || !roleAllows(role, needed)) {
    throw new RefusedError(403, 'forbidden', needed === 'admin' ? 'Only admins may do this.' : 'Only moderators and admins may do this.');
  }
  return { s, session, role, actor: session.userId };
}

/** An admin function: checks the role, then runs. */
export function adminHandler(name: string, needed: Role, run: (event: ALBEvent, call: AdminCall) => Promise<ALBResult>): AlbHandler {
  return albHandler(name, async (event) => run(event, await authorise(event, needed)));
}

/** The JSON body, checked by `schema`; a clear 4xx otherwise. */
export function readBody<T>(event: ALBEvent, schema: z.ZodType<T>): T {
  const body = bodyBytes(event);
  if (body.length > MAX_ADMIN_BODY_BYTES) throw new RefusedError(413, 'payload_too_large', `The body must be at most ${MAX_ADMIN_BODY_BYTES} bytes.`);
  if (!/^application\/json\s*(;|$)/i.test(header(event, 'content-type') ?? '')) {
    throw new RefusedError(415, 'unsupported_media_type', 'Send the body as Content-Type: application/json.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new BadRequestError('invalid_json', 'The body is not valid JSON.', { cause: err });
  }
  return check(schema, parsed, 'invalid_body');
}

export function check<T>(schema: z.ZodType<T>, value: unknown, code: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const at = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new BadRequestError(code, `${at}${issue.message}`);
}

/** The query parameters named, as strings (absent ones left out). */
export function queryOf(event: ALBEvent, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = query(event, n);
    if (v !== undefined) out[n] = v;
  }
  return out;
}

/** The rest of the path after `prefix`, %-decoded (ids, names and CIDRs; a CIDR's "/" may come encoded or not). */
export function pathRest(event: ALBEvent, prefix: string, suffix = ''): string {
  let rest = event.path.slice(prefix.length);
  if (suffix) {
    if (!rest.endsWith(suffix)) throw new RefusedError(404, 'not_found', `Nothing is at ${event.path.slice(0, 200)}.`);
    rest = rest.slice(0, -suffix.length);
  }
  try {
    return decodeURIComponent(rest);
  } catch (err) {
    throw new BadRequestError('invalid_path', 'The path is not validly %-encoded.', { cause: err });
  }
}

export const reasonSchema = z.string({ error: 'a "reason" (1 to 500 characters) is required' }).trim()
  .min(1, { error: 'a "reason" (1 to 500 characters) is required' }).max(500, { error: 'the "reason" must be at most 500 characters' });

const intString = (what: string) => z.union([z.number(), z.string().regex(/^-?\d+$/, { error: `${what} must be an integer` }).transform(Number)])
  .pipe(z.number().int({ error: `${what} must be an integer` }));

/** A rectangle on the board, corners included, given as numbers (body) or strings (query). */
export function rectSchema(size: BoardSize, maxSide?: number) {
  const coord = (name: string, limit: number) => intString(name).pipe(z.number().min(0, { error: `${name} must be from 0 to ${limit - 1}` })
    .max(limit - 1, { error: `${name} must be from 0 to ${limit - 1}` }));
  return z.object({ x0: coord('x0', size.width), y0: coord('y0', size.height), x1: coord('x1', size.width), y1: coord('y1', size.height) })
    .refine((r) => r.x0 <= r.x1 && r.y0 <= r.y1, { error: 'the rectangle needs x0 ≤ x1 and y0 ≤ y1' })
    .refine((r) => !maxSide || (r.x1 - r.x0 < maxSide && r.y1 - r.y0 < maxSide), { error: `the rectangle may be at most ${maxSide}×${maxSide}` }) as z.ZodType<Rect>;
}

export const timeSchema = (name: string) => intString(name).pipe(z.number().min(0, { error: `${name} must be a time in ms since 1970` }));
export const optionalTime = (name: string) => z.union([z.null(), timeSchema(name)]).optional().transform((v) => v ?? null);
export const limitSchema = (max: number, fallback: number) => intString('limit')
  .pipe(z.number().min(1, { error: `limit must be from 1 to ${max}` }).max(max, { error: `limit must be from 1 to ${max}` })).optional()
  .transform((v) => v ?? fallback);
export const userIdSchema = z.string().min(1, { error: 'userId must not be empty' }).max(128, { error: 'userId must be at most 128 characters' });
export const areaNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'an area name is 1 to 64 letters, digits, "-" or "_"' });
