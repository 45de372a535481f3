// Settings of who may place and what it costs them: sign-in (OpenID Connect, Discord), the
// eligibility rules, proof of work (ALTCHA), an optional CAPTCHA (Cloudflare Turnstile) and the
// adaptive defence level. Part of ENV_SCHEMA (core/config.ts); every variable is in the README.
import { z } from 'zod';
import { ConfigError, decimal, int, oneOf, optionalText, optionalUrl, text } from './config-fields.ts';

export const SIGNIN_MODES = ['anonymous', 'signin-optional', 'signin-required'] as const;
export type SigninMode = (typeof SIGNIN_MODES)[number];

export interface OidcProviderConfig {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /** Secrets Manager ARN of the client secret, read at start (like SESSION_SECRET_ARN). */
  clientSecretArn: string | null;
  /** What the page's button says: "Sign in with <name>". */
  name: string;
  scopes: string;
  /** A claim holding when the account was created (seconds, ms or an ISO date), if the provider gives one. */
  createdAtClaim: string | null;
}

export interface DiscordProviderConfig {
  clientId: string;
  clientSecret: string | null;
  clientSecretArn: string | null;
  /** https://discord.com, or a stand-in speaking its documented OAuth2 endpoints (tests). */
  baseUrl: string;
  guildId: string | null;
  /** Any one of these roles in the guild makes an account eligible (empty: membership is enough). */
  roleIds: string[];
}

export interface EligibilityRules {
  /** Accounts created at or after this time (ms) may not place, where the provider says when. */
  createdBefore: number | null;
  /** Lower-case domains; empty: any. Only a verified email counts. */
  emailDomains: string[];
}

export interface ProofOfWorkConfig {
  /** ALTCHA maxnumber at level 0: the solver tries ~half of it on average (SHA-256 each); 0: no proof of work. */
  difficulty: number;
  /** Each defence level multiplies the difficulty by this. */
  levelFactor: number;
  /** An anonymous session is asked again after this many placements (0: never, at level 0). */
  every: number;
  expiresMs: number;
}

export interface TurnstileConfig {
  siteKey: string;
  secret: string | null;
  secretArn: string | null;
  verifyUrl: string;
}

export interface DefenceRules {
  /** Placements are counted per window of this length. */
  windowMs: number;
  /** Windows in the moving average. */
  history: number;
  /** The moving average is taken as at least this (a quiet start has none); below it the share of new sessions is not judged. */
  minPlacements: number;
  /** A window this many times its moving average raises the level to 1; `surge` times, to 2. */
  spike: number;
  surge: number;
  /** Placements by sessions started in the last 5 windows, as a share of all: at least this much raises to 1. */
  newShare: number;
  /** A raised level holds at least this long, then steps down one level at a time. */
  holdMs: number;
}

export interface GuardConfig {
  mode: SigninMode;
  /** The page's public origin (redirect URIs are built on it); null: the request's own. */
  publicUrl: string | null;
  oidc: OidcProviderConfig | null;
  /** How far an ID token's times may be off (openid-client's clockTolerance). */
  oidcClockToleranceS: number;
  discord: DiscordProviderConfig | null;
  eligibility: EligibilityRules;
  pow: ProofOfWorkConfig;
  turnstile: TurnstileConfig | null;
  defence: DefenceRules;
}

const list = (v: string | null) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export const GUARD_SCHEMA = {
  SIGNIN_MODE: oneOf(SIGNIN_MODES, 'anonymous'),
  PUBLIC_URL: optionalUrl(),
  OIDC_ISSUER: optionalUrl(),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_CLIENT_SECRET_ARN: optionalText,
  OIDC_NAME: text('single sign-on'),
  OIDC_SCOPES: text('openid profile email', /^openid( [\x21-\x7e]+)*$/),
  OIDC_CREATED_AT_CLAIM: optionalText,
  OIDC_CLOCK_TOLERANCE_S: int(30, 0, 600),
  DISCORD_CLIENT_ID: optionalText,
  DISCORD_CLIENT_SECRET: optionalText,
  DISCORD_CLIENT_SECRET_ARN: optionalText,
  DISCORD_URL: text('https://discord.com', /^https?:\/\/[^\s/]+(:\d+)?$/),
  DISCORD_GUILD_ID: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().regex(/^\d{1,20}$/, { error: 'must be a Discord id (digits)' }).optional()).transform((v) => v ?? null),
  DISCORD_ROLE_IDS: optionalText,
  ELIGIBLE_CREATED_BEFORE: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().refine((v) => !Number.isNaN(Date.parse(v)), { error: 'must be a date such as 2025-01-31 or 2025-01-31T12:00:00Z' }).optional())
    .transform((v) => (v === undefined ? null : Date.parse(v))),
  ELIGIBLE_EMAIL_DOMAINS: optionalText,
  POW_DIFFICULTY: int(50_000, 0, 100_000_000),
  POW_LEVEL_FACTOR: int(4, 1, 1000),
  POW_EVERY: int(12, 0, 1_000_000),
  POW_EXPIRES_MS: int(300_000, 10_000, 3_600_000),
  CAPTCHA: oneOf(['none', 'turnstile'], 'none'),
  TURNSTILE_SITE_KEY: optionalText,
  TURNSTILE_SECRET: optionalText,
  TURNSTILE_SECRET_ARN: optionalText,
  TURNSTILE_VERIFY_URL: text('https://challenges.cloudflare.com/turnstile/v0/siteverify', /^https?:\/\/\S+$/),
  DEFENCE_WINDOW_MS: int(60_000, 1000, 3_600_000),
  DEFENCE_HISTORY: int(30, 2, 1440),
  DEFENCE_MIN_PLACEMENTS: int(300, 1, 1_000_000_000),
  DEFENCE_SPIKE: decimal(3, 1.1, 1000),
  DEFENCE_SURGE: decimal(10, 1.1, 10_000),
  DEFENCE_NEW_SHARE: decimal(0.8, 0.01, 1),
  DEFENCE_HOLD_MS: int(600_000, 1000, 86_400_000),
};

type GuardEnv = { [K in keyof typeof GUARD_SCHEMA]: z.output<(typeof GUARD_SCHEMA)[K]> };

export function guardConfig(e: GuardEnv): GuardConfig {
  const oidc: OidcProviderConfig | null = e.OIDC_ISSUER ? {
    issuer: e.OIDC_ISSUER, clientId: required(e.OIDC_CLIENT_ID, 'OIDC_CLIENT_ID', 'OIDC_ISSUER is set'),
    clientSecret: e.OIDC_CLIENT_SECRET, clientSecretArn: e.OIDC_CLIENT_SECRET_ARN, name: e.OIDC_NAME, scopes: e.OIDC_SCOPES,
    createdAtClaim: e.OIDC_CREATED_AT_CLAIM,
  } : null;
  if (oidc && !oidc.clientSecret && !oidc.clientSecretArn) throw new ConfigError('OIDC_CLIENT_SECRET', 'OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_ARN is required when OIDC_ISSUER is set');
  const discord: DiscordProviderConfig | null = e.DISCORD_CLIENT_ID ? {
    clientId: e.DISCORD_CLIENT_ID, clientSecret: e.DISCORD_CLIENT_SECRET, clientSecretArn: e.DISCORD_CLIENT_SECRET_ARN,
    baseUrl: e.DISCORD_URL, guildId: e.DISCORD_GUILD_ID, roleIds: list(e.DISCORD_ROLE_IDS),
  } : null;
  if (discord && !discord.clientSecret && !discord.clientSecretArn) {
    throw new ConfigError('DISCORD_CLIENT_SECRET', 'DISCORD_CLIENT_SECRET or DISCORD_CLIENT_SECRET_ARN is required when DISCORD_CLIENT_ID is set');
  }
  if (discord && discord.roleIds.length > 0 && !discord.guildId) throw new ConfigError('DISCORD_GUILD_ID', 'is required when DISCORD_ROLE_IDS is set');
  if (discord?.roleIds.some((r) => !/^\d{1,20}$/.test(r))) throw new ConfigError('DISCORD_ROLE_IDS', 'must be Discord role ids (digits), comma-separated');
  if (e.SIGNIN_MODE !== 'anonymous' && !oidc && !discord) {
    throw new ConfigError('SIGNIN_MODE', `${e.SIGNIN_MODE} needs a provider: set OIDC_ISSUER or DISCORD_CLIENT_ID`);
  }
  const turnstile: TurnstileConfig | null = e.CAPTCHA === 'turnstile' ? {
    siteKey: required(e.TURNSTILE_SITE_KEY, 'TURNSTILE_SITE_KEY', 'CAPTCHA=turnstile'),
    secret: e.TURNSTILE_SECRET, secretArn: e.TURNSTILE_SECRET_ARN, verifyUrl: e.TURNSTILE_VERIFY_URL,
  } : null;
  if (turnstile && !turnstile.secret && !turnstile.secretArn) throw new ConfigError('TURNSTILE_SECRET', 'TURNSTILE_SECRET or TURNSTILE_SECRET_ARN is required when CAPTCHA=turnstile');
  if (e.DEFENCE_SURGE <= e.DEFENCE_SPIKE) throw new ConfigError('DEFENCE_SURGE', 'must be larger than DEFENCE_SPIKE');
  return {
    mode: e.SIGNIN_MODE,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    oidc,
    oidcClockToleranceS: e.OIDC_CLOCK_TOLERANCE_S,
    discord,
    eligibility: { createdBefore: e.ELIGIBLE_CREATED_BEFORE, emailDomains: list(e.ELIGIBLE_EMAIL_DOMAINS).map((d) => d.toLowerCase().replace(/^@/, '')) },
    pow: { difficulty: e.POW_DIFFICULTY, levelFactor: e.POW_LEVEL_FACTOR, every: e.POW_EVERY, expiresMs: e.POW_EXPIRES_MS },
    turnstile,
    defence: {
      windowMs: e.DEFENCE_WINDOW_MS, history: e.DEFENCE_HISTORY, minPlacements: e.DEFENCE_MIN_PLACEMENTS,
      spike: e.DEFENCE_SPIKE, surge: e.DEFENCE_SURGE, newShare: e.DEFENCE_NEW_SHARE, holdMs: e.DEFENCE_HOLD_MS,
    },
  };
}

function required(value: string | null, variable: string, when: string): string {
  if (!value) throw new ConfigError(variable, `is required when ${when}`);
  return value;
}
