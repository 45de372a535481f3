// An OpenID Connect provider: discovery from OIDC_ISSUER, the account from the ID token's claims
// and the userinfo endpoint.
import * as client from 'openid-client';
import type { OidcProviderConfig } from '../../guard-config.ts';
import { claimTime, type ProviderAccount } from '../eligibility.ts';

/** Only a loopback issuer may be plain http (the in-process provider of the tests). */
export const isLoopbackHttp = (url: string) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url);

export async function oidcConfiguration(o: OidcProviderConfig, secret: string, clockToleranceS: number): Promise<client.Configuration> {
  return client.discovery(new URL(o.issuer), o.clientId, { client_secret: secret, [client.clockTolerance]: clockToleranceS }, undefined,
    isLoopbackHttp(o.issuer) ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 });
}

type Claims = Record<string, unknown>;

export async function oidcAccount(config: client.Configuration, tokens: client.TokenEndpointResponse & { claims(): client.IDToken | undefined },
  o: OidcProviderConfig): Promise<ProviderAccount> {
  const idClaims = tokens.claims() as Claims | undefined;
  if (!idClaims || typeof idClaims.sub !== 'string') throw new client.ClientError('the ID token has no subject');
  let claims: Claims = idClaims;
  if (config.serverMetadata().userinfo_endpoint) claims = { ...(await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...idClaims };
  const str = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string) : null);
  return {
    provider: 'oidc',
    subject: idClaims.sub,
    displayName: str('name') ?? str('preferred_username') ?? str('email') ?? 'Signed in',
    email: str('email'),
    emailVerified: claims.email_verified === undefined ? undefined : claims.email_verified === true || claims.email_verified === 'true',
    // Where the provider says when an account was created (a claim named by OIDC_CREATED_AT_CLAIM).
    createdAt: o.createdAtClaim ? claimTime(claims[o.createdAtClaim]) : undefined,
  };
}
