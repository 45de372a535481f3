// The bot defence over HTTP, on the embedded stores: challenges to start a session and to keep
// placing, the defence level, sign-in modes and eligibility, and one cooldown per account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceFixture, type ServiceFixture } from '../test-support/service-fixture.ts';
import { ApiClient } from '../test-support/api-client.ts';
import { solveChallenge, type Challenge } from '../test-support/pow-solver.ts';
import { accountUserId, signSession, type Account } from '../core/domain/session-token.ts';

const json = { 'content-type': 'application/json' };
/** A session of a signed-in account, as the sign-in callback makes one. */
const signedIn = (f: ServiceFixture, subject: string, account: Account, issuedAt = Date.now()) => {
  const c = new ApiClient(f.url);
  c.token = signSession(f.services.sessionSecret, { userId: accountUserId(f.services.sessionSecret, account.provider, subject), issuedAt, account });
  return c;
};

describe('proof of work over HTTP', () => {
  let f: ServiceFixture;
  beforeAll(async () => { f = await startServiceFixture('embedded', { env: { POW_EVERY: '2', COOLDOWN_MS: '0', DEFENCE_WINDOW_MS: '1000' } }); });
  afterAll(async () => f?.close());

  it('a session needs a solved challenge: none → 403 challenge_required with a fresh one; wrong or reused → challenge_failed; no cookie until solved', async () => {
    const api = new ApiClient(f.url);
    const bare = await api.request('POST', '/api/session');
    expect(bare).toMatchObject({ status: 403, body: { error: 'challenge_required', message: expect.any(String), level: 0 } });
    expect(bare.headers.get('set-cookie')).toBeNull();
    const challenge = bare.body.challenge as Challenge;
    expect(Object.keys(challenge).sort()).toEqual(['algorithm', 'challenge', 'maxnumber', 'salt', 'signature']);
    const solved = solveChallenge(challenge)!;
    const wrong = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(solved.payload, 'base64').toString()), number: solved.number + 1 })).toString('base64');
    const post = (challenge: unknown) => api.request('POST', '/api/session', { body: JSON.stringify({ challenge }), headers: json });
    expect((await post(wrong)).body).toMatchObject({ error: 'challenge_failed', challenge: expect.any(Object) });
    const ok = await post(solved.payload);
    expect(ok.status).toBe(201);
    expect(ok.headers.get('set-cookie')).toMatch(/^place_session=/);
    const replay = await post(solved.payload);
    expect(replay).toMatchObject({ status: 403, body: { error: 'challenge_failed', message: expect.stringContaining('used already') } });
    expect((await api.request('POST', '/api/session', { body: '{nope', headers: json })).body).toMatchObject({ error: 'invalid_json' });
  });

  it('asks again every POW_EVERY placements; the solution sent with the pixel places it; a refused pixel costs no credit', async () => {
    const api = await new ApiClient(f.url).startSession();
    const post = (x: number, challenge?: string) => api.request('POST', '/api/pixels', { body: JSON.stringify({ x, y: 1, color: 2, challenge }), headers: json });
    expect((await post(1)).status).toBe(201);
    expect((await post(400_000)).status).toBe(400); // off the board: refused before a credit is taken
    expect((await post(2)).status).toBe(201);
    const asked = await post(3);
    expect(asked).toMatchObject({ status: 403, body: { error: 'challenge_required' } });
    expect((await api.request('GET', '/api/pixels/3/1')).status).toBe(404);
    const again = await post(3, solveChallenge(asked.body.challenge as Challenge)!.payload);
    expect(again.status).toBe(201);
  });

  it('at level 2 new sessions are paused (503 sessions_paused), everyone solves per placement, and GET /api/config says so', async () => {
    const api = await new ApiClient(f.url).startSession();
    const account: Account = { provider: 'oidc', displayName: 'Ada', ineligible: null };
    const ada = signedIn(f, 'ada', account);
    expect((await ada.request('POST', '/api/pixels', { body: JSON.stringify({ x: 5, y: 5, color: 1 }), headers: json })).status).toBe(201);
    await f.services.guard.store.setDefenceState({ level: 2, since: Date.now() });
    await new Promise((r) => setTimeout(r, 300));
    expect((await api.request('GET', '/api/config')).body).toMatchObject({ defenceLevel: 2, proofOfWork: true, signin: { mode: 'anonymous', providers: [] } });
    expect((await api.request('POST', '/api/session')).body).toMatchObject({ error: 'sessions_paused' });
    const asked = await ada.request('POST', '/api/pixels', { body: JSON.stringify({ x: 5, y: 6, color: 1 }), headers: json });
    expect(asked).toMatchObject({ status: 403, body: { error: 'challenge_required', level: 2 } });
    expect((asked.body.challenge as Challenge).maxnumber).toBe(1000 * 4 ** 2);
    expect((await ada.place(5, 6, 1)).status).toBe(201); // solves and sends it
    await f.services.guard.store.setDefenceState({ level: 0, since: Date.now() });
  });
});

describe('sign-in modes and eligibility over HTTP', () => {
  let f: ServiceFixture;
  beforeAll(async () => {
    f = await startServiceFixture('embedded', {
      env: { SIGNIN_MODE: 'signin-required', OIDC_ISSUER: 'http://127.0.0.1:9/unused', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's', OIDC_NAME: 'Uni SSO', COOLDOWN_MS: '60000' },
    });
  });
  afterAll(async () => f?.close());

  it('signin-required: no anonymous sessions, the page learns the providers; anyone may still view', async () => {
    const api = new ApiClient(f.url);
    expect((await api.request('POST', '/api/session')).body).toMatchObject({ error: 'signin_required', providers: [{ id: 'oidc', name: 'Uni SSO' }] });
    expect((await api.request('GET', '/api/config')).body).toMatchObject({ signin: { mode: 'signin-required', providers: [{ id: 'oidc', name: 'Uni SSO' }] } });
    expect((await api.request('GET', '/api/board')).status).toBe(200);
  });

  it('an ineligible account is told why, in /api/me and when it tries to place', async () => {
    const bob = signedIn(f, 'bob', { provider: 'discord', displayName: 'Bob', ineligible: 'not_in_guild' });
    expect((await bob.request('GET', '/api/me')).body).toMatchObject({ provider: 'discord', displayName: 'Bob', eligible: false, ineligibleReason: 'not_in_guild' });
    const refused = await bob.place(1, 1, 1);
    expect(refused).toMatchObject({ status: 403, body: { error: 'not_eligible', ineligibleReason: 'not_in_guild', message: expect.stringContaining('Discord server') } });
    const carol = signedIn(f, 'carol', { provider: 'oidc', displayName: 'Carol', ineligible: null });
    expect((await carol.request('GET', '/api/me')).body).toMatchObject({ provider: 'oidc', eligible: true, ineligibleReason: null });
  });

  it('1,000 concurrent writes from 50 sessions of one account: exactly one is placed, the rest wait out one cooldown', async () => {
    const now = Date.now();
    const sessions = Array.from({ length: 50 }, (_, i) => signedIn(f, 'dave', { provider: 'oidc', displayName: 'Dave', ineligible: null }, now - i));
    expect(new Set(sessions.map((s) => s.token)).size).toBe(50);
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => sessions[i % 50]!.place(10 + (i % 40), 20 + Math.floor(i / 40), 3)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(999);
    expect(results.every((r) => r.status === 201 || r.body.reason === 'cooldown')).toBe(true);
  });
});
