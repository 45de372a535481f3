// `npm run bench:bots`: what the bot defence costs a scripted attacker with one address, and what
// it costs a person. Loopback only: the local runner on a real redis-server (file pixel log).
//  1. Attacker, anonymous mode, default caps: pixels per cooldown period with proof of work off
//     (the old behaviour) and on, with time compressed (COOLDOWN_MS=3000 stands for 300 s), and
//     the CPU-seconds of proof of work it spends per accepted pixel at each defence level
//     (solved natively, synchronous SHA-256, as a bot would).
//  2. A person: median time to solve a level-0 (and level-1) challenge in Chromium with the
//     page's solver (altcha-lib), and challenges asked per 12 placements (an hour of play at the
//     default 5-minute cooldown).
//  3. No cooldown leak: 1,000 concurrent writes from 50 sessions of one signed-in account, per
//     cooldown, on Redis.
//   BENCH_PERIODS (default 4), BENCH_SOLVES (default 15)
import './exit-on-signal.ts';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { chromium } from 'playwright-core';
import { startRedis } from '../local/processes/redis-process.ts';
import { freePort, tempDir } from '../test-support/test-services.ts';
import { solveChallenge, type Challenge } from '../test-support/pow-solver.ts';
import { accountUserId, signSession } from '../core/domain/session-token.ts';
import { percentile, round, startServiceProcess } from './bench-support.ts';

const PERIODS = Number(process.env.BENCH_PERIODS ?? 4);
const SOLVES = Number(process.env.BENCH_SOLVES ?? 15);
const SECRET = 'bench-secret';
const COOLDOWN = 3000;
const REAL_COOLDOWN_S = 300;
const json = { 'content-type': 'application/json' };

const redisProc = await startRedis({ port: await freePort(), dataDir: tempDir('bots-redis') });
const redis = new Redis(redisProc.url);

async function service(env: Record<string, string>) {
  await redis.flushall();
  return startServiceProcess({
    DATA_DIR: tempDir('bots-data'), REDIS_URL: redisProc.url, SESSION_SECRET: SECRET, COOLDOWN_MS: String(COOLDOWN), LOG_LEVEL: 'warn',
    SIGNIN_MODE: 'signin-optional', OIDC_ISSUER: 'http://127.0.0.1:9/unused', OIDC_CLIENT_ID: 'bench', OIDC_CLIENT_SECRET: 'unused',
    DEFENCE_WINDOW_MS: '4000', ...env,
  }, undefined, 'ignore');
}

/** A scripted attacker: as many sessions as the address may start, each placing once per cooldown, solving every challenge. */
async function attack(base: string, periods: number): Promise<{ placed: number; cpuS: number; solves: number; sessions: number }> {
  let cpu = 0;
  let solves = 0;
  const solve = (c: Challenge) => {
    const t = process.cpuUsage();
    const s = solveChallenge(c)!.payload;
    const d = process.cpuUsage(t);
    cpu += (d.user + d.system) / 1e6;
    solves++;
    return s;
  };
  const tokens: string[] = [];
  for (let i = 0; i < 60; i++) {
    const ch = await fetch(`${base}/api/challenge`);
    const body = ch.status === 200 ? JSON.stringify({ challenge: solve((await ch.json()) as Challenge) }) : undefined;
    const res = await fetch(`${base}/api/session`, { method: 'POST', headers: body ? json : {}, body });
    if (res.status !== 201) break;
    tokens.push(((await res.json()) as { token: string }).token);
  }
  let placed = 0;
  let n = 0;
  const end = Date.now() + periods * COOLDOWN;
  while (Date.now() < end) {
    const round0 = Date.now();
    for (const token of tokens) {
      const headers = { ...json, authorization: `Bearer ${token}` };
      const at = n++;
      let res = await fetch(`${base}/api/pixels`, { method: 'POST', headers, body: JSON.stringify({ x: at % 1000, y: Math.floor(at / 1000) % 1000, color: 3 }) });
      if (res.status === 403) {
        const b = (await res.json()) as { error: string; challenge?: Challenge };
        if (b.challenge) res = await fetch(`${base}/api/pixels`, { method: 'POST', headers, body: JSON.stringify({ x: at % 1000, y: Math.floor(at / 1000) % 1000, color: 3, challenge: solve(b.challenge) }) });
      }
      if (res.status === 201) placed++;
      if (Date.now() >= end) break;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, COOLDOWN - (Date.now() - round0))));
  }
  return { placed, cpuS: cpu, solves, sessions: tokens.length };
}

async function setLevel(level: number): Promise<void> {
  await redis.set('{place}:defence', `${level}:${Date.now()}`);
  await new Promise((r) => setTimeout(r, 1500)); // every process re-reads it within a second here
}

const results: Record<string, unknown>[] = [];
const report = (r: Record<string, unknown>) => { results.push(r); console.log(JSON.stringify(r)); };
const perHour = (placed: number) => round((placed / PERIODS) * (3600 / REAL_COOLDOWN_S), 0);

// --- 1. the attacker ------------------------------------------------------------------------------
for (const [name, env] of [['proof of work off (before)', { POW_DIFFICULTY: '0' }], ['defaults (after)', {}]] as const) {
  const s = await service(env);
  try {
    const a = await attack(`http://127.0.0.1:${s.port}`, PERIODS);
    report({ bench: 'attacker, level 0', setup: name, sessions: a.sessions, pixelsPerPeriod: round(a.placed / PERIODS), pixelsPerHourAtDefaultCooldown: perHour(a.placed),
      cpuSecondsPerPixel: a.placed ? round(a.cpuS / a.placed, 4) : null, solves: a.solves });
  } finally {
    await s.stop();
  }
}
{
  const s = await service({});
  const base = `http://127.0.0.1:${s.port}`;
  try {
    // Sessions started at level 0 keep placing at the raised levels (level 2 admits no new ones).
    await setLevel(0);
    const tokens = await attackSetup(base);
    for (const level of [1, 2]) {
      await setLevel(level);
      const a = await attackWith(base, tokens);
      const cpu = a.placed ? a.cpuS / a.placed : null;
      // What one core's proof of work allows per hour; PLACEMENTS_PER_IP caps one address at 360/h anyway.
      report({ bench: `attacker, level ${level}`, sessions: tokens.length, pixelsPerPeriod: round(a.placed / PERIODS), cpuSecondsPerPixel: cpu && round(cpu, 3),
        cpuBoundPixelsPerHourPerCore: cpu ? round(3600 / cpu, 0) : null });
    }
  } finally {
    await s.stop();
  }
}

async function attackSetup(base: string): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < 30; i++) {
    const c = solveChallenge((await (await fetch(`${base}/api/challenge`)).json()) as Challenge)!.payload;
    const res = await fetch(`${base}/api/session`, { method: 'POST', headers: json, body: JSON.stringify({ challenge: c }) });
    if (res.status === 201) tokens.push(((await res.json()) as { token: string }).token);
  }
  return tokens;
}

async function attackWith(base: string, tokens: string[]): Promise<{ placed: number; cpuS: number }> {
  let placed = 0;
  let cpu = 0;
  const end = Date.now() + PERIODS * COOLDOWN;
  for (let n = 0; Date.now() < end; n++) {
    const token = tokens[n % tokens.length]!;
    const headers = { ...json, authorization: `Bearer ${token}` };
    const body = (challenge?: string) => JSON.stringify({ x: n % 1000, y: 500, color: 4, challenge });
    let res = await fetch(`${base}/api/pixels`, { method: 'POST', headers, body: body() });
    if (res.status === 403) {
      const b = (await res.json()) as { challenge?: Challenge };
      if (!b.challenge) continue;
      const t = process.cpuUsage();
      const solution = solveChallenge(b.challenge)!.payload;
      const d = process.cpuUsage(t);
      cpu += (d.user + d.system) / 1e6;
      res = await fetch(`${base}/api/pixels`, { method: 'POST', headers, body: body(solution) });
    }
    if (res.status === 201) placed++;
  }
  return { placed, cpuS: cpu };
}

// --- 2. a person ----------------------------------------------------------------------------------
{
  const s = await service({});
  const base = `http://127.0.0.1:${s.port}`;
  const bundle = await build({
    stdin: { contents: "import { solveChallenge } from 'altcha-lib/v1'; globalThis.altchaSolve = (c) => solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;", resolveDir: process.cwd() },
    bundle: true, format: 'iife', write: false, minify: true,
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    // The page's own origin (a secure context for WebCrypto); CSP bypassed only to add the solver.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(base);
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    for (const [level, runs] of [[0, SOLVES], [1, Math.ceil(SOLVES / 3)]] as const) {
      await setLevel(level);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const c = (await (await fetch(`${base}/api/challenge`)).json()) as Challenge;
        times.push(await page.evaluate(async (ch) => {
          const t0 = performance.now();
          await (globalThis as unknown as { altchaSolve(c: unknown): Promise<unknown> }).altchaSolve(ch);
          return performance.now() - t0;
        }, c));
      }
      times.sort((a, b) => a - b);
      report({ bench: `Chromium solve, level ${level}`, runs, medianMs: round(percentile(times, 50), 0), p90Ms: round(percentile(times, 90), 0) });
    }
  } finally {
    await browser.close();
  }
  // Normal play: one pixel per cooldown (24 placements at level 0: two hours at the default cooldown).
  for (const [level, placements] of [[0, 24], [1, 6]] as const) {
    await setLevel(level);
    let challenges = 0;
    const c0 = (await (await fetch(`${base}/api/challenge`)).json()) as Challenge;
    challenges++;
    const res = await fetch(`${base}/api/session`, { method: 'POST', headers: json, body: JSON.stringify({ challenge: solveChallenge(c0)!.payload }) });
    const token = ((await res.json()) as { token: string }).token;
    for (let i = 0; i < placements; i++) {
      const headers = { ...json, authorization: `Bearer ${token}` };
      let r = await fetch(`${base}/api/pixels`, { method: 'POST', headers, body: JSON.stringify({ x: i, y: 900 + level, color: 5 }) });
      if (r.status === 403) {
        challenges++;
        const b = (await r.json()) as { challenge: Challenge };
        r = await fetch(`${base}/api/pixels`, { method: 'POST', headers, body: JSON.stringify({ x: i, y: 900 + level, color: 5, challenge: solveChallenge(b.challenge)!.payload }) });
      }
      if (r.status !== 201) throw new Error(`normal play: ${r.status} ${await r.text()}`);
      const { nextAllowedAt } = (await r.json()) as { nextAllowedAt: number };
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextAllowedAt + 20 - Date.now())));
    }
    report({ bench: `normal play, level ${level}`, placements, challenges, challengesPerHour: round((challenges * 12) / placements, 1) });
  }
  await s.stop();
}

// --- 3. one account, 50 sessions, 1,000 concurrent writes, per cooldown ---------------------------
{
  const s = await service({});
  const base = `http://127.0.0.1:${s.port}`;
  await setLevel(0);
  const userId = accountUserId(SECRET, 'oidc', 'bench-account');
  const now = Date.now();
  const tokens = Array.from({ length: 50 }, (_, i) => signSession(SECRET, { userId, issuedAt: now - i, account: { provider: 'oidc', displayName: 'Bench', ineligible: null } }));
  const accepted: number[] = [];
  for (let round0 = 0; round0 < 3; round0++) {
    const t0 = Date.now();
    const statuses = await Promise.all(Array.from({ length: 1000 }, (_, i) => fetch(`${base}/api/pixels`, {
      method: 'POST', headers: { ...json, authorization: `Bearer ${tokens[i % 50]}` }, body: JSON.stringify({ x: i % 1000, y: 700 + round0, color: 6 }),
    }).then((r) => r.status)));
    accepted.push(statuses.filter((x) => x === 201).length);
    await new Promise((r) => setTimeout(r, Math.max(0, COOLDOWN + 100 - (Date.now() - t0))));
  }
  report({ bench: '1,000 writes from 50 sessions of one account', acceptedPerCooldown: accepted.join(', ') });
  await s.stop();
}

console.table(results);
console.log(JSON.stringify(results));
redis.disconnect();
await redisProc.stop();
