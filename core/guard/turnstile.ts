// Cloudflare Turnstile, verified server-side (siteverify) when CAPTCHA=turnstile: a token is good
// for 300 s and once (Cloudflare refuses a second use as timeout-or-duplicate).
import type { TurnstileConfig } from '../guard-config.ts';
import { reportFailure } from '../observability/telemetry.ts';

export type CaptchaCheck = { ok: true } | { ok: false; codes: string[] };

export class Turnstile {
  constructor(readonly config: TurnstileConfig, private readonly secret: string, private readonly fetchImpl: typeof fetch = fetch) {}

  async verify(token: unknown, remoteIp: string): Promise<CaptchaCheck> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048) return { ok: false, codes: ['missing-input-response'] };
    const body = new URLSearchParams({ secret: this.secret, response: token });
    if (!remoteIp.includes('/')) body.set('remoteip', remoteIp);
    try {
      const res = await this.fetchImpl(this.config.verifyUrl, { method: 'POST', body, signal: AbortSignal.timeout(5000) });
      const out = (await res.json()) as { success?: boolean; 'error-codes'?: string[] };
      return out.success === true ? { ok: true } : { ok: false, codes: out['error-codes'] ?? [`http-${res.status}`] };
    } catch (err) {
      reportFailure('turnstile-verify', err);
      return { ok: false, codes: ['siteverify-unreachable'] };
    }
  }
}
