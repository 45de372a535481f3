// Signing in, through the browser, against a real OpenID provider running in this process
// (oidc-provider) and a stand-in for Discord's OAuth2 endpoints: the redirect flow, one user id
// (one cooldown) per account in every browser, eligibility shown on the page, and every way a
// sign-in can be tampered with refused with a clear page and no session.
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { startE2eService, type E2eService } from './service.ts';
import { openBoard, placePixel, selectColour } from './page-helpers.ts';
import { freePort } from '../test-support/test-services.ts';
import { startTestOidcProvider, type TestOidcProvider } from '../test-support/test-oidc-provider.ts';
import { startDiscordStandIn, type DiscordStandIn } from '../test-support/discord-stand-in.ts';

test.describe.configure({ mode: 'serial' });

const GUILD = '222222222222222222';
const ROLE = '333333333333333333';
let service: E2eService;
let op: TestOidcProvider;
let discord: DiscordStandIn;

test.beforeAll(async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  op = await startTestOidcProvider([`${url}/api/auth/oidc/callback`]);
  discord = await startDiscordStandIn(`${url}/api/auth/discord/callback`);
  service = await startE2eService({
    PORT: String(port), PUBLIC_URL: url, COOLDOWN_MS: '60000', SIGNIN_MODE: 'signin-optional',
    OIDC_ISSUER: op.issuer, OIDC_CLIENT_ID: op.clientId, OIDC_CLIENT_SECRET: op.clientSecret, OIDC_NAME: 'Uni SSO', OIDC_CLOCK_TOLERANCE_S: '0',
    ELIGIBLE_EMAIL_DOMAINS: 'uni.example',
    DISCORD_CLIENT_ID: discord.clientId, DISCORD_CLIENT_SECRET: discord.clientSecret, DISCORD_URL: discord.url,
    DISCORD_GUILD_ID: GUILD, DISCORD_ROLE_IDS: ROLE, ELIGIBLE_CREATED_BEFORE: '2024-01-01',
  });
});
test.afterAll(async () => {
  await service?.stop();
  await op?.close();
  await discord?.close();
});

async function newPage(browser: import('@playwright/test').Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  // The provider's login page imports a web font: this sandbox is offline.
  await context.route('https://fonts.googleapis.com/**', (r) => r.abort());
  return { context, page: await context.newPage() };
}

/** From the board, through the provider's login and consent pages, as `login`. */
async function signInWithOidc(page: Page, login: string): Promise<void> {
  await page.getByRole('link', { name: 'Sign in with Uni SSO' }).click();
  await expect(page.locator('h1')).toHaveText('Sign-in');
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'anything');
  await page.click('button[type="submit"]');
  await expect(page.locator('h1')).toHaveText('Authorize');
  await page.click('button[type="submit"]');
}

const sessionCookie = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === 'place_session');
const me = (page: Page) => page.evaluate(async () => (await fetch('/api/me')).json() as Promise<Record<string, unknown>>);

test('OpenID Connect: sign in through the provider, place, and a second browser of the same account shares the cooldown', async ({ browser }) => {
  const first = await newPage(browser);
  await openBoard(first.page, service.url);
  await signInWithOidc(first.page, 'alice');
  await expect(first.page.locator('#status')).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  await expect(first.page.locator('#account')).toContainText('Signed in as User alice');
  await expect(first.page.locator('#eligibility')).toBeHidden();
  const alice = await me(first.page);
  expect(alice).toMatchObject({ provider: 'oidc', displayName: 'User alice', eligible: true, ineligibleReason: null });
  await selectColour(first.page, 5);
  await placePixel(first.page, 100, 70);
  await expect(first.page.locator('#cooldown')).not.toHaveText('Ready');

  const second = await newPage(browser);
  await openBoard(second.page, service.url);
  await signInWithOidc(second.page, 'alice'); // another browser: logs in again at the provider
  await expect(second.page.locator('#account')).toContainText('Signed in as User alice');
  expect((await me(second.page)).userId).toBe(alice.userId);
  await expect(second.page.locator('#cooldown')).not.toHaveText('Ready'); // the account's cooldown, read at start
  await first.context.close();
  await second.context.close();
});

test('an account outside the allowed email domains can watch, and the page says why it cannot place', async ({ browser }) => {
  const { context, page } = await newPage(browser);
  await openBoard(page, service.url);
  await signInWithOidc(page, 'eve@elsewhere.example');
  await expect(page.locator('#eligibility')).toContainText('email domains');
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  expect(await me(page)).toMatchObject({ eligible: false, ineligibleReason: 'email_domain' });
  await selectColour(page, 3);
  await placePixel(page, 90, 60);
  await expect(page.locator('#toast')).toContainText('email domains');
  expect((await fetch(`${service.url}/api/pixels/90/60`)).status).toBe(404);
  await context.close();
});

/**
 * Changes one parameter of the authorization request on its way to the provider. (The start
 * request is fetched here and answered with the changed redirect: a redirected hop cannot be
 * routed, but the request a click starts can; its cookie lands in the context's shared jar.)
 */
function changeAuthorization(param: string, to: (was: string) => string) {
  return async (context: BrowserContext): Promise<void> => {
    await context.route((u) => u.pathname === '/api/auth/oidc/start', async (route) => {
      const res = await route.fetch({ maxRedirects: 0 });
      const url = new URL(res.headers().location!);
      url.searchParams.set(param, to(url.searchParams.get(param) ?? ''));
      await route.fulfill({ status: 302, headers: { location: url.href } });
    });
  };
}

/** Runs a sign-in with `tamper` applied, and checks the refusal page and that no session was set. */
async function refused(browser: import('@playwright/test').Browser, error: string, reason: RegExp, tamper: (context: BrowserContext) => Promise<void>) {
  const { context, page } = await newPage(browser);
  await openBoard(page, service.url);
  await tamper(context);
  await signInWithOidc(page, `mallory${error}`);
  await expect(page.locator('main')).toHaveAttribute('data-error', error);
  await expect(page.locator('#reason')).toHaveText(reason);
  await expect(page.locator('h1')).toHaveText('Sign-in failed');
  expect(await sessionCookie(context)).toBeUndefined();
  await context.close();
}

test('a tampered state is refused: no session', async ({ browser }) => {
  // The provider echoes the state it was given: the callback's no longer matches the pending login's.
  await refused(browser, 'state_mismatch', /state mismatch/, changeAuthorization('state', (s) => `${s}x`));
});

test('a wrong nonce in the ID token is refused: no session', async ({ browser }) => {
  // The provider puts the nonce it was given into the ID token: not the one the service expects.
  await refused(browser, 'nonce_mismatch', /nonce mismatch/, changeAuthorization('nonce', () => 'not-the-nonce-we-sent'));
});

test('an expired ID token is refused: no session', async ({ browser }) => {
  op.slowTokens = true;
  try {
    await refused(browser, 'id_token_expired', /has expired/, async () => {});
  } finally {
    op.slowTokens = false;
  }
});

test('a replayed callback (its code) is refused: no session in the browser that replays it', async ({ browser }) => {
  const { context, page } = await newPage(browser);
  await openBoard(page, service.url);
  let callback = '';
  page.on('request', (r) => { if (r.url().includes('/api/auth/oidc/callback?')) callback = r.url(); });
  await signInWithOidc(page, 'trent');
  await expect(page.locator('#account')).toContainText('Signed in as User trent');
  const login = (await context.cookies()).find((c) => c.name === 'place_login');
  expect(login).toBeDefined();
  // Another browser holding the same pending-login cookie replays the callback URL (code and state).
  const other = await newPage(browser);
  await other.context.addCookies([login!]);
  await other.page.goto(callback);
  await expect(other.page.locator('main')).toHaveAttribute('data-error', 'login_replayed');
  expect(await sessionCookie(other.context)).toBeUndefined();
  await context.close();
  await other.context.close();
});

test('Discord: a member with the role may place; a non-member is told to join the server', async ({ browser }) => {
  discord.next = { id: '175928847299117063', username: 'ada', global_name: 'Ada', guilds: { [GUILD]: ['1', ROLE] } };
  const { context, page } = await newPage(browser);
  await openBoard(page, service.url);
  await page.getByRole('link', { name: 'Sign in with Discord' }).click();
  await expect(page.locator('#account')).toContainText('Signed in as Ada');
  expect(await me(page)).toMatchObject({ provider: 'discord', displayName: 'Ada', eligible: true });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in with Discord' })).toBeVisible();
  expect(await sessionCookie(context)).toBeUndefined();

  discord.next = { id: '175928847299117064', username: 'bo', global_name: null, guilds: {} };
  await page.getByRole('link', { name: 'Sign in with Discord' }).click();
  await expect(page.locator('#account')).toContainText('Signed in as bo');
  await expect(page.locator('#eligibility')).toContainText('members of its Discord server');
  expect(await me(page)).toMatchObject({ eligible: false, ineligibleReason: 'not_in_guild' });

  // An account created after the cut-off (its id says when) may not place either.
  discord.next = { id: String((BigInt(Date.parse('2024-06-01') - 1420070400000) << 22n)), username: 'newbie', global_name: 'Newbie', guilds: { [GUILD]: [ROLE] } };
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in with Discord' }).click();
  await expect(page.locator('#eligibility')).toContainText('cut-off date');
  await context.close();
});
