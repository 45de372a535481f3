// The sign-in and bot-defence part of the OpenAPI document (lambdas/openapi.ts): the challenge,
// the sign-in redirects, logout, and the schemas they and the session, pixel and me answers use.
import { INELIGIBLE_REASONS } from '../../core/domain/ineligible.ts';
import { PROVIDERS } from '../../core/domain/session-token.ts';
import { SIGNIN_MODES } from '../../core/guard-config.ts';

type Schema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonResponse = (description: string, schema: Schema): Schema => ({ description, content: { 'application/json': { schema } } });
const error = (description: string): Schema => jsonResponse(description, ref('Error'));
const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const provider = { name: 'provider', in: 'path', required: true, schema: { enum: [...PROVIDERS] } };
const htmlOrJson = (description: string): Schema => ({
  description,
  content: { 'application/json': { schema: ref('Error') }, 'text/html': { schema: { type: 'string' } } },
});

/** A solved challenge (inlined where a schema must stand alone). */
export const SOLUTION: Schema = {
  description: 'ALTCHA\'s payload: base64 of the JSON {algorithm, challenge, number, salt, signature}, or that JSON object',
  oneOf: [
    { type: 'string', maxLength: 2000 },
    { type: 'object', required: ['algorithm', 'challenge', 'number', 'salt', 'signature'], properties: { number: { type: 'integer', minimum: 0 } } },
  ],
};

/** Properties every error may carry besides error and message. */
export const GUARD_ERROR_PROPERTIES: Schema = {
  challenge: ref('Challenge'),
  level: { enum: [0, 1, 2], description: 'The defence level the new challenge is for' },
  ineligibleReason: { enum: [...INELIGIBLE_REASONS] },
  providers: ref('Providers'),
  codes: { type: 'array', items: { type: 'string' }, description: 'The CAPTCHA verifier\'s error codes' },
};

export const GUARD_SCHEMAS: Schema = {
  Challenge: {
    type: 'object', required: ['algorithm', 'challenge', 'salt', 'signature', 'maxnumber'], additionalProperties: false,
    description: 'An ALTCHA challenge: find n ≤ maxnumber with hex(SHA-256(salt + n)) = challenge. It expires (in its salt) and its solution works once.',
    properties: { algorithm: { const: 'SHA-256' }, challenge: hex64, salt: { type: 'string' }, signature: hex64, maxnumber: { type: 'integer', minimum: 1 } },
  },
  Solution: SOLUTION,
  SessionRequest: {
    type: 'object',
    properties: { challenge: ref('Solution'), captcha: { type: 'string', description: 'The Turnstile token, when CAPTCHA=turnstile' } },
  },
  Providers: {
    type: 'array', items: { type: 'object', required: ['id', 'name'], properties: { id: { enum: [...PROVIDERS] }, name: { type: 'string' } } },
  },
};

/** Added to the Me schema. */
export const ME_PROPERTIES: Schema = {
  provider: { enum: [...PROVIDERS, null], description: 'How the user signed in; null: an anonymous session' },
  displayName: { type: ['string', 'null'] },
  eligible: { type: 'boolean', description: 'Whether this user may place pixels' },
  ineligibleReason: { enum: [...INELIGIBLE_REASONS, 'signin_required', null], description: 'Why not (the page says it in words)' },
};

/** Added to the Config schema. */
export const CONFIG_PROPERTIES: Schema = {
  signin: { type: 'object', required: ['mode', 'providers'], properties: { mode: { enum: [...SIGNIN_MODES] }, providers: ref('Providers') } },
  proofOfWork: { type: 'boolean', description: 'Whether sessions (and, at a raised level, placements) need a solved challenge' },
  captcha: { oneOf: [{ type: 'null' }, { type: 'object', required: ['provider', 'siteKey'], properties: { provider: { const: 'turnstile' }, siteKey: { type: 'string' } } }] },
  defenceLevel: { enum: [0, 1, 2], description: '0 normal; 1 raised (harder challenges, one per placement); 2 high (also no new sessions)' },
};

export function guardPaths(op: (id: string, summary: string, responses: Record<string, Schema>, extra?: Schema) => Schema): Record<string, Schema> {
  return {
    '/api/challenge': {
      get: op('get-challenge', 'A proof-of-work challenge at the current defence level', {
        200: jsonResponse('The challenge', ref('Challenge')),
        404: error('Proof of work is off on this board (no_challenges)'),
      }),
    },
    '/api/auth/{provider}/{step}': {
      get: op('auth', 'start: a redirect to the provider (PKCE, state, nonce). callback: where the provider returns; checks state, code (PKCE), nonce and the ID token, then sets the session cookie', {
        302: { description: 'start: to the provider, the pending login in a short-lived cookie. callback: signed in, back to the board with the session cookie', headers: { Location: { schema: { type: 'string' } } } },
        400: htmlOrJson('callback: not signed in, and why: login_expired, login_replayed, state_mismatch, access_denied, code_rejected, nonce_mismatch, id_token_expired, signin_failed'),
        404: htmlOrJson('The board does not offer this provider (unknown_provider), or no such step'),
        503: htmlOrJson('The provider cannot be reached (provider_unavailable)'),
      }, {
        parameters: [provider,
          { name: 'step', in: 'path', required: true, schema: { enum: ['start', 'callback'] } },
          { name: 'code', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'state', in: 'query', required: false, schema: { type: 'string' } }],
      }),
    },
    '/api/auth/logout': {
      post: op('auth-logout', 'Sign out in this browser (clears the session cookie)', { 204: { description: 'Signed out' } }),
    },
  };
}
