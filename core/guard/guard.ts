// The bot defence and sign-in of one process, built once from config: the guard store, proof of
// work, the defence level, an optional CAPTCHA and the sign-in providers.
import type { Config } from '../config.ts';
import type { GuardStore } from './guard-store.ts';
import { EmbeddedGuardStore } from './embedded-guard-store.ts';
import { RedisGuardStore } from './redis-guard-store.ts';
import { ProofOfWork } from './proof-of-work.ts';
import { DefenceMonitor } from './defence.ts';
import { Turnstile } from './turnstile.ts';
import { SignIn } from './signin/signin.ts';
import { secretOf } from '../aws-secrets.ts';

export interface Guard {
  store: GuardStore;
  pow: ProofOfWork;
  defence: DefenceMonitor;
  captcha: Turnstile | null;
  signin: SignIn;
}

export async function createGuard(config: Config, sessionSecret: string): Promise<Guard> {
  const g = config.guard;
  const store: GuardStore = config.redis ? await RedisGuardStore.connect(config.redis) : new EmbeddedGuardStore();
  const captcha = g.turnstile ? new Turnstile(g.turnstile, await secretOf(g.turnstile.secret, g.turnstile.secretArn)) : null;
  return {
    store,
    pow: new ProofOfWork(sessionSecret, g.pow, store),
    defence: new DefenceMonitor(store, g.defence),
    captcha,
    signin: new SignIn(g, sessionSecret, store),
  };
}
