// The kinds of setting ENV_SCHEMA is made of (core/config.ts, core/guard-config.ts): each
// parses a variable's text, applies its default when unset or blank, and says what is wrong.
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Unset and blank both mean "the default". */
export const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);

export function int(fallback: number, min: number, max: number) {
  return z.preprocess(blankIsUnset, z.string()
    .regex(/^-?\d+$/, { error: (i) => `expected an integer, got "${String(i.input)}"` })
    .transform(Number)
    .pipe(z.number().min(min, { error: (i) => `must be from ${min} to ${max}, got ${String(i.input)}` })
      .max(max, { error: (i) => `must be from ${min} to ${max}, got ${String(i.input)}` }))
    .optional()).transform((v) => v ?? fallback);
}

export const optionalText = z.preprocess(blankIsUnset, z.string().optional()).transform((v) => v ?? null);

export function optionalUrl() {
  return z.preprocess(blankIsUnset, z.string().regex(/^https?:\/\/[^\s]+$/, { error: 'must be an http(s) URL' }).optional()).transform((v) => v ?? null);
}

/** Comma-separated http://host:port origins (no path) of `what`; an empty list when unset. */
export function httpOrigins(what: string) {
  return z.preprocess(blankIsUnset, z.string().optional()).transform((v, ctx) => {
    const urls = (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const bad = urls.find((u) => !/^http:\/\/[^/?#]+\/?$/.test(u) || !URL.canParse(u));
    if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `must be http:// URLs of ${what}, comma-separated (got "${bad}")` });
    return urls;
  });
}

/** A Redis URL (redis:// or rediss:// for TLS), or null when unset. */
export const redisUrl = z.preprocess(blankIsUnset, z.string().regex(/^rediss?:\/\//, { error: 'must start with redis:// or rediss://' }).optional())
  .transform((v) => v ?? null);

/** A decimal number such as 2.5. */
export function decimal(fallback: number, min: number, max: number) {
  const range = { error: (i: { input: unknown }) => `must be from ${min} to ${max}, got ${String(i.input)}` };
  return z.preprocess(blankIsUnset, z.string()
    .regex(/^\d+(\.\d+)?$/, { error: (i) => `expected a number, got "${String(i.input)}"` })
    .transform(Number)
    .pipe(z.number().min(min, range).max(max, range))
    .optional()).transform((v) => v ?? fallback);
}

export function text(fallback: string, pattern?: RegExp) {
  const base = pattern ? z.string().regex(pattern, { error: (i) => `"${String(i.input)}" is not valid (expected ${pattern})` }) : z.string();
  return z.preprocess(blankIsUnset, base.optional()).transform((v) => v ?? fallback);
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return z.preprocess(blankIsUnset, z.enum(values, { error: (i) => `must be ${values.map((v) => `"${v}"`).join(' or ')}, got "${String(i.input)}"` }).optional())
    .transform((v) => v ?? fallback);
}

