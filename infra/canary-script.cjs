// The canary (CloudWatch Synthetics, Node.js runtime): every few minutes it does what a player
// does, through CloudFront: loads the board, starts a session and places one pixel (a new session
// each run, so no cooldown is in the way). Its pixel is kept at one configured spot (a corner by
// default). infra/canary.test.ts runs this same file against the local runner, giving `run` a
// plain HTTP step where Synthetics gives executeHttpStep.
/* global process, Buffer, exports, require */
'use strict';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS canary (the Synthetics runtime)
const { createHash } = require('node:crypto');

function readBody(res) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    res.on('data', (chunk) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

/** ALTCHA's proof of work, as a player's browser does it: the n whose SHA-256(salt + n) is the challenge. */
function solve(c) {
  for (let n = 0; n <= c.maxnumber; n++) {
    if (createHash('sha256').update(c.salt + n).digest('hex') === c.challenge) {
      return Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature })).toString('base64');
    }
  }
  throw new Error('GET /api/challenge: no solution');
}

function expectStatus(res, wanted, what) {
  if (res.statusCode !== wanted) throw new Error(`${what}: HTTP ${res.statusCode}, expected ${wanted}`);
}

/** `step(name, requestOptions, callback)` as Synthetics' executeHttpStep; `s` says where and what. */
async function run(step, s) {
  const request = (method, path, headers, body) => ({
    hostname: s.host, port: s.port, protocol: s.protocol, method, path, body,
    headers: { 'user-agent': s.userAgent, 'content-length': String(body ? Buffer.byteLength(body) : 0), ...headers },
  });

  await step('load the board', request('GET', '/api/board', { 'accept-encoding': 'identity' }), async (res) => {
    expectStatus(res, 200, 'GET /api/board');
    const bytes = await readBody(res);
    const expected = Math.ceil((s.width * s.height) / 2);
    if (bytes.length !== expected) throw new Error(`GET /api/board: ${bytes.length} bytes, expected ${expected}`);
    if (!/^\d+$/.test(String(res.headers['x-board-seq']))) throw new Error('GET /api/board: no X-Board-Seq');
  });

  let solution = null;
  await step('solve a challenge', request('GET', '/api/challenge', {}), async (res) => {
    if (res.statusCode === 404) return void (await readBody(res)); // no proof of work on this board
    expectStatus(res, 200, 'GET /api/challenge');
    solution = solve(JSON.parse((await readBody(res)).toString('utf8')));
  });

  let token = null;
  const session = solution ? JSON.stringify({ challenge: solution }) : undefined;
  await step('start a session', request('POST', '/api/session', session ? { 'content-type': 'application/json' } : {}, session), async (res) => {
    expectStatus(res, 201, 'POST /api/session');
    token = JSON.parse((await readBody(res)).toString('utf8')).token;
    if (typeof token !== 'string' || token.length === 0) throw new Error('POST /api/session: no token');
  });

  const pixel = JSON.stringify({ x: s.x, y: s.y, color: s.color });
  await step('place a pixel', request('POST', '/api/pixels', { 'content-type': 'application/json', authorization: `Bearer ${token}` }, pixel), async (res) => {
    const body = (await readBody(res)).toString('utf8');
    expectStatus(res, 201, `POST /api/pixels (${body})`);
    const placed = JSON.parse(body);
    if (placed.x !== s.x || placed.y !== s.y || placed.color !== s.color || !(placed.seq > 0)) throw new Error(`POST /api/pixels: placed ${body}`);
  });
}

exports.run = run;

exports.handler = async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the Synthetics runtime offers this module to CommonJS canaries
  const synthetics = require('Synthetics');
  const env = process.env;
  await run((name, options, callback) => synthetics.executeHttpStep(name, options, callback), {
    host: env.SITE_HOST, port: 443, protocol: 'https:', userAgent: await synthetics.getCanaryUserAgentString(),
    width: Number(env.BOARD_WIDTH), height: Number(env.BOARD_HEIGHT),
    x: Number(env.PIXEL_X), y: Number(env.PIXEL_Y), color: Number(env.PIXEL_COLOR),
  });
};
