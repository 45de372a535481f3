// A local stand-in for Discord's documented OAuth2 endpoints (discord.com/developers/docs/topics/
// oauth2): /oauth2/authorize (approves at once for `next` user, as a signed-in Discord user who
// presses Authorize), /api/oauth2/token (authorization code with PKCE, client_secret_post or
// basic), /api/v10/users/@me and /api/v10/users/@me/guilds/{guild.id}/member.
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface DiscordUser {
  id: string;
  username: string;
  global_name: string | null;
  /** Guild id → the member's role ids (absent: not a member). */
  guilds: Record<string, string[]>;
}

export interface DiscordStandIn {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Who signs in at the next authorization. */
  next: DiscordUser;
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

export async function startDiscordStandIn(redirectUri: string): Promise<DiscordStandIn> {
  const clientId = '100000000000000001';
  const clientSecret = 'discord-secret';
  const codes = new Map<string, { user: DiscordUser; challenge: string; redirectUri: string }>();
  const tokens = new Map<string, DiscordUser>();
  const self = { next: { id: '80351110224678912', username: 'nelly', global_name: 'Nelly', guilds: {} } as DiscordUser };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== clientId || q.get('redirect_uri') !== redirectUri || q.get('response_type') !== 'code') return json(res, 400, { error: 'invalid_request' });
      if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return json(res, 400, { error: 'invalid_request', error_description: 'PKCE S256 expected' });
      const code = randomBytes(15).toString('base64url');
      codes.set(code, { user: self.next, challenge: q.get('code_challenge')!, redirectUri: q.get('redirect_uri')! });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      if (q.get('state')) back.searchParams.set('state', q.get('state')!);
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/oauth2/token') {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
        if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: 'invalid_client' });
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!grant || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== grant.redirectUri
          || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) return json(res, 400, { error: 'invalid_grant' });
        const token = randomBytes(20).toString('base64url');
        tokens.set(token, grant.user);
        json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 604800, refresh_token: randomBytes(20).toString('base64url'), scope: 'identify guilds.members.read' });
      });
      return;
    }
    const user = tokens.get(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    if (!user) return json(res, 401, { message: '401: Unauthorized', code: 0 });
    if (url.pathname === '/api/v10/users/@me') {
      return json(res, 200, { id: user.id, username: user.username, discriminator: '0', global_name: user.global_name, avatar: null });
    }
    const member = /^\/api\/v10\/users\/@me\/guilds\/(\d+)\/member$/.exec(url.pathname);
    if (member) {
      const roles = user.guilds[member[1]!];
      if (!roles) return json(res, 404, { message: 'Unknown Guild', code: 10004 });
      return json(res, 200, { roles, joined_at: '2021-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0, user: { id: user.id, username: user.username } });
    }
    json(res, 404, { message: '404: Not Found', code: 0 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, clientId, clientSecret,
    get next() { return self.next; },
    set next(u: DiscordUser) { self.next = u; },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
