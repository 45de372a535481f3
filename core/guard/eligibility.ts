// Who may place, decided once at sign-in from what the provider said: account age (where the
// provider says it: Discord always, in the id of the account; an OpenID provider through the
// claim OIDC_CREATED_AT_CLAIM), email domain (OpenID Connect; only a verified address counts),
// Discord guild membership and role.
import type { IneligibleReason } from '../domain/ineligible.ts';
import type { EligibilityRules } from '../guard-config.ts';

export interface ProviderAccount {
  provider: 'oidc' | 'discord';
  subject: string;
  displayName: string;
  /** When the account was created (ms), if the provider says; undefined: it cannot say. null: it could, but did not. */
  createdAt?: number | null;
  email?: string | null;
  emailVerified?: boolean;
  /** Discord with a guild gate: the member's role ids, or null when not a member. */
  guildRoles?: readonly string[] | null;
}

export interface GuildGate {
  guildId: string | null;
  roleIds: readonly string[];
}

export function ineligibility(account: ProviderAccount, rules: EligibilityRules, gate: GuildGate | null): IneligibleReason | null {
  if (rules.createdBefore !== null && account.createdAt !== undefined) {
    if (account.createdAt === null || !Number.isFinite(account.createdAt)) return 'account_age_unknown';
    if (account.createdAt >= rules.createdBefore) return 'account_too_new';
  }
  if (account.provider === 'oidc' && rules.emailDomains.length > 0) {
    if (!account.email || account.emailVerified === false) return 'email_unverified';
    const domain = account.email.slice(account.email.lastIndexOf('@') + 1).toLowerCase();
    if (!rules.emailDomains.some((d) => domain === d || domain.endsWith(`.${d}`))) return 'email_domain';
  }
  if (account.provider === 'discord' && gate?.guildId) {
    if (!account.guildRoles) return 'not_in_guild';
    if (gate.roleIds.length > 0 && !gate.roleIds.some((r) => account.guildRoles!.includes(r))) return 'missing_role';
  }
  return null;
}

/** When a Discord account was created: the top bits of its id (a snowflake) are ms since 2015. */
export function discordCreatedAt(id: string): number | null {
  if (!/^\d{1,20}$/.test(id)) return null;
  return Number((BigInt(id) >> 22n) + 1420070400000n);
}

/** A created-at claim as seconds, milliseconds or an ISO date. */
export function claimTime(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return claimTime(Number(value));
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}
