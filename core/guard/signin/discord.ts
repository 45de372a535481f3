// Discord's OAuth 2.0 (it has no OpenID Connect): its documented endpoints (authorize, token,
// /users/@me and /users/@me/guilds/{guild}/member) under DISCORD_URL, which tests point at a local
// stand-in. PKCE and state as for any provider; the account's age is in its id (a snowflake).
import * as client from 'openid-client';
import type { DiscordProviderConfig } from '../../guard-config.ts';
import { discordCreatedAt, type ProviderAccount } from '../eligibility.ts';
import { isLoopbackHttp } from './oidc.ts';

export function discordScopes(d: DiscordProviderConfig): string {
  return d.guildId ? 'identify guilds.members.read' : 'identify';
}

export function discordConfiguration(d: DiscordProviderConfig, secret: string): client.Configuration {
  const base = d.baseUrl.replace(/\/+$/, '');
  const config = new client.Configuration(
    { issuer: base, authorization_endpoint: `${base}/oauth2/authorize`, token_endpoint: `${base}/api/oauth2/token` },
    d.clientId, secret);
  if (isLoopbackHttp(base)) client.allowInsecureRequests(config);
  return config;
}

async function api(config: client.Configuration, token: string, d: DiscordProviderConfig, path: string): Promise<Response> {
  return client.fetchProtectedResource(config, token, new URL(`${d.baseUrl.replace(/\/+$/, '')}/api/v10${path}`), 'GET');
}

export async function discordAccount(config: client.Configuration, token: string, d: DiscordProviderConfig): Promise<ProviderAccount> {
  const me = await api(config, token, d, '/users/@me');
  if (!me.ok) throw new Error(`Discord /users/@me answered ${me.status}`);
  const user = (await me.json()) as { id?: unknown; username?: unknown; global_name?: unknown };
  if (typeof user.id !== 'string') throw new Error('Discord /users/@me has no id');
  let guildRoles: string[] | null | undefined;
  if (d.guildId) {
    const member = await api(config, token, d, `/users/@me/guilds/${d.guildId}/member`);
    // Discord does not document the answer for a non-member: anything but 200 means "not a member".
    guildRoles = member.ok ? (((await member.json()) as { roles?: unknown }).roles as string[] | undefined) ?? [] : null;
    if (!member.ok && member.status >= 500) throw new Error(`Discord guild member answered ${member.status}`);
  }
  const name = typeof user.global_name === 'string' && user.global_name ? user.global_name : typeof user.username === 'string' ? user.username : 'Discord user';
  return { provider: 'discord', subject: user.id, displayName: name, createdAt: discordCreatedAt(user.id), guildRoles };
}
