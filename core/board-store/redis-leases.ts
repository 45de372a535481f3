// Leases in Redis (`Leases` in board-store.ts), shared by the board store (relay, publish) and
// the community store (templates): a lock key holding a random token with an expiry. A script
// takes it with SET NX or else answers how long the holder has left; releasing it publishes its
// name on the leases channel, which followers hear on a subscriber connection of their own.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { LEASE_NAMES, type HeldLease, type LeaseName, type LeaseTry } from './board-store.ts';
import { RELEASE_LOCK_LUA, RENEW_LOCK_LUA, TAKE_LEASE_LUA } from './redis-scripts.ts';
import type { RedisKeys } from './redis-keys.ts';
import { reportFailure } from '../observability/telemetry.ts';

export interface LeaseRedis extends Redis {
  takeLease(key: string, token: string, ttlMs: number): Promise<number>;
  releaseLock(key: string, token: string, ...notice: string[]): Promise<number>;
  renewLock(key: string, token: string, ttlMs: number): Promise<number>;
}

type Run = <T>(what: string, op: () => Promise<T>) => Promise<T>;

/** Defines the lock and lease scripts on a connection (defineCommand is idempotent per name). */
export function defineLeaseCommands(client: Redis): LeaseRedis {
  client.defineCommand('takeLease', { numberOfKeys: 1, lua: TAKE_LEASE_LUA });
  client.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK_LUA });
  client.defineCommand('renewLock', { numberOfKeys: 1, lua: RENEW_LOCK_LUA });
  return client as LeaseRedis;
}

export async function takeRedisLease(client: LeaseRedis, keys: RedisKeys, name: LeaseName, ttlMs: number, run: Run): Promise<LeaseTry<HeldLease>> {
  const key = keys.lock(name);
  const token = randomBytes(8).toString('hex');
  const heldForMs = await run('lease', () => client.takeLease(key, token, ttlMs));
  if (heldForMs > 0) return { lease: null, heldForMs };
  return {
    lease: {
      token,
      renew: async (ms) => (await run('lease', () => client.renewLock(key, token, ms))) === 1,
      release: async () => { await run('lease', () => client.releaseLock(key, token, keys.leases, name)); },
    },
    heldForMs: 0,
  };
}

/** Hears released leases on a subscriber connection of its own, opened for the first listener. */
export class RedisLeaseNotices {
  private sub: Redis | null = null;
  private readonly listeners = new Set<(name: LeaseName) => void>();

  /** `url`: a replica will do (Redis replicates PUBLISH), as for the feed. */
  constructor(private readonly url: string, private readonly channel: string) {}

  listen(listener: (name: LeaseName) => void): () => void {
    this.listeners.add(listener);
    if (!this.sub) this.open();
    return () => { this.listeners.delete(listener); };
  }

  private open(): void {
    // Subscribes on every 'ready' itself: a SUBSCRIBE queued while Redis was away can fail, and
    // ioredis resubscribes only to what Redis had confirmed.
    const sub = new Redis(this.url, { autoResubscribe: false, retryStrategy: (n) => Math.min(50 * 2 ** n, 1000) });
    this.sub = sub;
    sub.on('error', () => { /* reconnects by itself; 'ready' then stands in for what was missed */ });
    let connectedOnce = false;
    sub.on('ready', () => {
      sub.subscribe(this.channel).then(() => {
        // A notice may have been missed while away: followers try once (their keeper spreads the tries).
        if (connectedOnce) for (const name of LEASE_NAMES) this.notify(name);
        connectedOnce = true;
      }, (err: unknown) => reportFailure('lease-notices', err));
    });
    sub.on('message', (_channel: string, message: string) => {
      const name = LEASE_NAMES.find((n) => n === message);
      if (name) this.notify(name);
    });
  }

  private notify(name: LeaseName): void {
    for (const listener of this.listeners) listener(name);
  }

  close(): void {
    this.sub?.disconnect();
    this.sub = null;
  }
}
