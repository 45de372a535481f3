// A real, standards-compliant OpenID provider (oidc-provider) in the test process, with its
// development login and consent pages: whatever is typed as login is the account's subject.
// A login containing "@" is the account's email; otherwise it is <login>@uni.example.
// `slowTokens` holds each token response back (with a 1 s ID token lifetime), so the ID token
// the service gets has expired: the one way to get a real expired ID token from a real provider.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider } from 'oidc-provider';

export interface TestOidcProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Hold token responses back 2.5 s and issue 1 s ID tokens. */
  slowTokens: boolean;
  close(): Promise<void>;
}

export async function startTestOidcProvider(redirectUris: string[]): Promise<TestOidcProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state = { slowTokens: false };
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'pixel-board', client_secret: 'pixel-board-secret', redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'] }],
    async findAccount(_ctx, sub) {
      const email = sub.includes('@') ? sub : `${sub}@uni.example`;
      return { accountId: sub, claims: async () => ({ sub, name: `User ${sub.split('@')[0]}`, email, email_verified: true }) };
    },
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    cookies: { keys: ['test-oidc-cookie-key'] },
    pkce: { required: () => true },
    ttl: {
      IdToken: () => (state.slowTokens ? 1 : 60), AuthorizationCode: 60, AccessToken: 300, Interaction: 600, Session: 3600, Grant: 3600,
    },
    features: { devInteractions: { enabled: true } },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (state.slowTokens && req.url?.startsWith('/token')) {
      const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
      res.end = ((...args: unknown[]) => { setTimeout(() => end(...args), 2500); return res; }) as typeof res.end;
    }
    void handle(req, res);
  });
  return {
    issuer, clientId: 'pixel-board', clientSecret: 'pixel-board-secret',
    get slowTokens() { return state.slowTokens; },
    set slowTokens(v: boolean) { state.slowTokens = v; },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
