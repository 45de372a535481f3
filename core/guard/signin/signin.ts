// Sign-in with OpenID Connect (any compliant provider) and OAuth 2.0 for Discord, through
// openid-client (maintained, certified; does PKCE, state, nonce and ID token checks for us).
// start() gives the provider's authorization URL and the sealed pending login; finish() checks
// the callback and says who signed in and whether they may place, or why the sign-in failed.
import * as client from 'openid-client';
import type { GuardConfig } from '../../guard-config.ts';
import type { Provider } from '../../domain/session-token.ts';
import type { IneligibleReason } from '../../domain/ineligible.ts';
import { reportFailure } from '../../observability/telemetry.ts';
import type { GuardStore } from '../guard-store.ts';
import { ineligibility, type ProviderAccount } from '../eligibility.ts';
import { secretOf } from '../../aws-secrets.ts';
import { LOGIN_TTL_MS, openLogin, sealLogin } from './login-cookie.ts';
import { discordAccount, discordConfiguration, discordScopes } from './discord.ts';
import { oidcAccount, oidcConfiguration } from './oidc.ts';

export type SigninFailure =
  | 'unknown_provider' | 'login_expired' | 'login_replayed' | 'state_mismatch' | 'access_denied'
  | 'code_rejected' | 'nonce_mismatch' | 'id_token_expired' | 'provider_unavailable' | 'signin_failed';

export const SIGNIN_FAILURES: Readonly<Record<SigninFailure, string>> = {
  unknown_provider: 'This board does not offer sign-in with that provider.',
  login_expired: 'The sign-in took too long or was started in another browser. Start it again.',
  login_replayed: 'This sign-in link was already used. Start the sign-in again.',
  state_mismatch: 'The answer from the sign-in provider does not belong to the sign-in you started (state mismatch). Start it again.',
  access_denied: 'The sign-in was cancelled at the provider.',
  code_rejected: 'The sign-in provider refused the sign-in code (it was used already or has expired). Start the sign-in again.',
  nonce_mismatch: 'The sign-in provider\'s ID token was not issued for this sign-in (nonce mismatch). Start it again.',
  id_token_expired: 'The sign-in provider\'s ID token has expired. Check your device\'s clock and start the sign-in again.',
  provider_unavailable: 'The sign-in provider could not be reached. Try again in a moment.',
  signin_failed: 'The sign-in failed. Start it again.',
};

export type SigninResult =
  | { ok: true; provider: Provider; subject: string; displayName: string; ineligible: IneligibleReason | null }
  | { ok: false; problem: SigninFailure };

export class SignIn {
  private readonly configs = new Map<Provider, Promise<client.Configuration>>();

  constructor(private readonly guard: GuardConfig, private readonly sessionSecret: string, private readonly store: GuardStore) {}

  /** The providers this board offers, with what the page's button says. */
  providers(): Array<{ id: Provider; name: string }> {
    if (this.guard.mode === 'anonymous') return [];
    const out: Array<{ id: Provider; name: string }> = [];
    if (this.guard.oidc) out.push({ id: 'oidc', name: this.guard.oidc.name });
    if (this.guard.discord) out.push({ id: 'discord', name: 'Discord' });
    return out;
  }

  offers(provider: string): provider is Provider {
    return this.providers().some((p) => p.id === provider);
  }

  private configuration(provider: Provider): Promise<client.Configuration> {
    let c = this.configs.get(provider);
    if (!c) {
      c = (async () => {
        if (provider === 'oidc') {
          const o = this.guard.oidc!;
          return oidcConfiguration(o, await secretOf(o.clientSecret, o.clientSecretArn), this.guard.oidcClockToleranceS);
        }
        const d = this.guard.discord!;
        return discordConfiguration(d, await secretOf(d.clientSecret, d.clientSecretArn));
      })();
      // A failed discovery is tried again by the next sign-in.
      c.catch(() => this.configs.delete(provider));
      this.configs.set(provider, c);
    }
    return c;
  }

  redirectUri(provider: Provider, origin: string): string {
    return `${this.guard.publicUrl ?? origin}/api/auth/${provider}/callback`;
  }

  /** The provider's authorization URL and the sealed pending login to set as a cookie. */
  async start(provider: Provider, origin: string, now = Date.now()): Promise<{ location: string; sealed: string } | { problem: SigninFailure }> {
    let config: client.Configuration;
    try {
      config = await this.configuration(provider);
    } catch (err) {
      reportFailure('signin-discovery', err);
      return { problem: 'provider_unavailable' };
    }
    const verifier = client.randomPKCECodeVerifier();
    const login = { provider, state: client.randomState(), nonce: client.randomNonce(), verifier, expiresAt: now + LOGIN_TTL_MS };
    const params: Record<string, string> = {
      redirect_uri: this.redirectUri(provider, origin), response_type: 'code', state: login.state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      scope: provider === 'oidc' ? this.guard.oidc!.scopes : discordScopes(this.guard.discord!),
    };
    if (provider === 'oidc') params.nonce = login.nonce;
    return { location: client.buildAuthorizationUrl(config, params).href, sealed: sealLogin(this.sessionSecret, login) };
  }

  /** Checks the callback (`query`: its raw query string) against the pending login. */
  async finish(provider: string, origin: string, query: string, sealed: string | undefined, now = Date.now()): Promise<SigninResult> {
    if (!this.offers(provider)) return { ok: false, problem: 'unknown_provider' };
    const login = openLogin(this.sessionSecret, sealed, now);
    if (!login || login.provider !== provider) return { ok: false, problem: 'login_expired' };
    // One pending login, one callback: a second use is refused before the provider is asked.
    if (!(await this.store.spendOnce(`login:${login.state}`, login.expiresAt))) return { ok: false, problem: 'login_replayed' };
    const currentUrl = new URL(`${this.redirectUri(provider, origin)}${query ? `?${query}` : ''}`);
    let account: ProviderAccount;
    try {
      const config = await this.configuration(provider);
      if (provider === 'oidc') {
        const tokens = await client.authorizationCodeGrant(config, currentUrl,
          { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce, idTokenExpected: true });
        account = await oidcAccount(config, tokens, this.guard.oidc!);
      } else {
        const tokens = await client.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: login.verifier, expectedState: login.state });
        account = await discordAccount(config, tokens.access_token, this.guard.discord!);
      }
    } catch (err) {
      const problem = failureOf(err);
      if (problem === 'provider_unavailable' || problem === 'signin_failed') reportFailure(`signin-${provider}`, err);
      return { ok: false, problem };
    }
    const gate = this.guard.discord ? { guildId: this.guard.discord.guildId, roleIds: this.guard.discord.roleIds } : null;
    return { ok: true, provider, subject: account.subject, displayName: account.displayName, ineligible: ineligibility(account, this.guard.eligibility, gate) };
  }
}

/** What went wrong, from openid-client's errors (codes: its docs and oauth4webapi's). */
export function failureOf(err: unknown): SigninFailure {
  if (err instanceof client.AuthorizationResponseError) return err.error === 'access_denied' ? 'access_denied' : 'signin_failed';
  if (err instanceof client.ResponseBodyError) return err.error === 'invalid_grant' ? 'code_rejected' : 'signin_failed';
  if (err instanceof client.ClientError) {
    const cause = err.cause instanceof Error ? err.cause.message : '';
    if (err.code === 'OAUTH_INVALID_RESPONSE' && /"state"/.test(`${err.message} ${cause}`)) return 'state_mismatch';
    if (err.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && /nonce/.test(`${err.message} ${cause}`)) return 'nonce_mismatch';
    if (err.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return 'id_token_expired';
    if (err.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || err.code === 'OAUTH_HTTP_REQUEST_FORBIDDEN') return 'provider_unavailable';
  }
  if (err instanceof TypeError) return 'provider_unavailable'; // fetch failed: the provider is unreachable
  return 'signin_failed';
}
