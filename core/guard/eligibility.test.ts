import { describe, expect, it } from 'vitest';
import { claimTime, discordCreatedAt, ineligibility, type ProviderAccount } from './eligibility.ts';

const rules = { createdBefore: Date.parse('2024-01-01'), emailDomains: ['uni.example'] };
const oidc = (over: Partial<ProviderAccount> = {}): ProviderAccount =>
  ({ provider: 'oidc', subject: 's', displayName: 'A', email: 'a@uni.example', emailVerified: true, createdAt: Date.parse('2020-01-01'), ...over });

describe('eligibility', () => {
  it('lets an old enough account with a verified address of an allowed domain (or a subdomain) place', () => {
    expect(ineligibility(oidc(), rules, null)).toBeNull();
    expect(ineligibility(oidc({ email: 'b@cs.uni.example' }), rules, null)).toBeNull();
  });

  it('says why not: too new, age unknown where the provider could say, wrong or unverified email', () => {
    expect(ineligibility(oidc({ createdAt: Date.parse('2024-06-01') }), rules, null)).toBe('account_too_new');
    expect(ineligibility(oidc({ createdAt: null }), rules, null)).toBe('account_age_unknown');
    expect(ineligibility(oidc({ email: 'a@evil-uni.example' }), rules, null)).toBe('email_domain');
    expect(ineligibility(oidc({ email: 'a@gmail.com' }), rules, null)).toBe('email_domain');
    expect(ineligibility(oidc({ emailVerified: false }), rules, null)).toBe('email_unverified');
    expect(ineligibility(oidc({ email: null }), rules, null)).toBe('email_unverified');
  });

  it('skips the age rule for a provider that cannot say, and the email rule for Discord', () => {
    expect(ineligibility(oidc({ createdAt: undefined }), rules, null)).toBeNull();
    const discord: ProviderAccount = { provider: 'discord', subject: '1', displayName: 'D', createdAt: Date.parse('2019-01-01'), guildRoles: [] };
    expect(ineligibility(discord, rules, null)).toBeNull();
  });

  it('gates Discord accounts on guild membership and any one of the roles', () => {
    const d = (guildRoles: string[] | null): ProviderAccount => ({ provider: 'discord', subject: '1', displayName: 'D', guildRoles });
    const none = { createdBefore: null, emailDomains: [] };
    expect(ineligibility(d(null), none, { guildId: '9', roleIds: [] })).toBe('not_in_guild');
    expect(ineligibility(d([]), none, { guildId: '9', roleIds: [] })).toBeNull();
    expect(ineligibility(d(['5']), none, { guildId: '9', roleIds: ['6', '7'] })).toBe('missing_role');
    expect(ineligibility(d(['5', '7']), none, { guildId: '9', roleIds: ['6', '7'] })).toBeNull();
  });

  it('reads the creation time from a Discord id (BigInt: the id is past 2^53) and from claims in s, ms or ISO form', () => {
    expect(new Date(discordCreatedAt('175928847299117063')!).toISOString()).toBe('2016-04-30T11:18:25.796Z');
    expect(discordCreatedAt('x')).toBeNull();
    expect(claimTime(1_600_000_000)).toBe(1_600_000_000_000);
    expect(claimTime(1_600_000_000_000)).toBe(1_600_000_000_000);
    expect(claimTime('2020-09-13T12:26:40Z')).toBe(1_600_000_000_000);
    expect(claimTime('soon')).toBeNull();
  });
});
