import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { RedisBoardStore } from './redis-board-store.ts';
import { FeedRelay } from './feed-relay.ts';
import { CONTRACT_KEPT, CONTRACT_RULES, CONTRACT_SIZE, describeBoardStoreContract } from './board-store.contract.ts';
import { startTestRedis } from '../../test-support/test-services.ts';
import type { RedisProcess } from '../../local/processes/redis-process.ts';
import { createBoard } from '../domain/board-codec.ts';
import { batchToUpdates, decodePixelBatch, encodePixelBatch, encodePixelRecord } from '../protocol/pixel-batch.ts';
import { decodeFeedMessage } from '../protocol/feed.ts';
import { StoreUnavailableError } from '../errors.ts';
import { describeModerationContract } from './moderation.contract.ts';

let redis: RedisProcess;
beforeAll(async () => { redis = await startTestRedis(); });
afterAll(async () => redis.stop());

function open(keyPrefix = `t${randomBytes(4).toString('hex')}`, feedMode: 'relay' | 'publish' = 'relay') {
  return RedisBoardStore.connect({
    redis: { url: redis.url, keyPrefix, authSecretArn: null }, size: CONTRACT_SIZE, rules: CONTRACT_RULES, sessionsPerIpPerHour: 2,
    updatesKept: CONTRACT_KEPT, feedMode,
  });
}

// The default: writes only append to the stream, and a relay (here one, as a socket server runs it) publishes.
describeBoardStoreContract('redis (feed relay)', async () => {
  const store = await open();
  const relay = new FeedRelay(store, { tickMs: 5, leaseMs: 1000, pageSize: 1000 }, () => 0);
  relay.start();
  return { store, close: async () => { await relay.stop(); await store.close(); } };
});

describeModerationContract('redis', async () => {
  const store = await open(undefined, 'publish');
  return { store, close: () => store.close() };
});

// The earlier design, kept for comparison: every write publishes itself.
describeBoardStoreContract('redis (publish each write)', async () => {
  const store = await open(undefined, 'publish');
  return { store, close: () => store.close() };
});

describe('redis board store layout', () => {
  it('stores the board as the BITFIELD u4 layout the HTTP API serves', async () => {
    const store = await open('layout');
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
    await store.place({ x: 3, y: 1, color: 12, userId: 'u', ip: 'i', now: Date.now() });
    const raw = new Redis(redis.url);
    const [value] = (await raw.bitfield('{layout}:board', 'GET', 'u4', '#23')) as number[];
    expect(value).toBe(12);
    raw.disconnect();
    await store.close();
  });

  it('stores and publishes exactly the bytes of the protocol codec (the Lua script cannot import it)', async () => {
    const store = await open('wire', 'publish');
    await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
    const sub = new Redis(redis.url);
    const published: Buffer[] = [];
    sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => published.push(message));
    await sub.subscribe(store.keys.channel);
    const placed = await store.place({ x: 19, y: 9, color: 14, userId: 'u', ip: 'i', now: Date.now() });
    if (placed.status !== 'placed') throw new Error('not placed');
    const raw = new Redis(redis.url);
    const [[id, fields]] = (await raw.xrangeBuffer(store.keys.updates, '-', '+')) as [[Buffer, Buffer[]]];
    expect(id.toString()).toBe(`${placed.placement.seq}-0`);
    expect(Buffer.from(fields[1]!).equals(Buffer.from(encodePixelRecord(19, 9, 14)))).toBe(true);
    await expect.poll(() => published.length).toBe(1);
    expect(published[0]!.equals(Buffer.from(encodePixelBatch([{ seq: placed.placement.seq, x: 19, y: 9, color: 14 }])))).toBe(true);
    expect(decodeFeedMessage(published[0]!)).toEqual({ type: 'batch' });
    sub.disconnect();
    raw.disconnect();
    await store.close();
  });

  it('with a feed URL, subscribes on the replica: batches the relay publishes on the primary reach it', async () => {
    const replica = await startTestRedis(redis.port);
    const keyPrefix = `f${randomBytes(4).toString('hex')}`;
    const store = await RedisBoardStore.connect({
      redis: { url: redis.url, feedUrl: replica.url, keyPrefix, authSecretArn: null }, size: CONTRACT_SIZE, rules: CONTRACT_RULES,
      sessionsPerIpPerHour: 2, updatesKept: CONTRACT_KEPT,
    });
    const relay = new FeedRelay(store, { tickMs: 5, leaseMs: 1000, pageSize: 1000 }, () => 0);
    const [primary, onReplica] = [new Redis(redis.url), new Redis(replica.url)];
    try {
      await expect.poll(async () => (await onReplica.info('replication')).includes('master_link_status:up'), { timeout: 20_000 }).toBe(true);
      await store.restore({ board: createBoard(CONTRACT_SIZE), seq: 0, version: 0 }, [], Date.now());
      const seqs: number[] = [];
      const feed = await store.subscribe({
        onBatch: (b) => seqs.push(...batchToUpdates(decodePixelBatch(b)).map((u) => u.seq)), onReset: () => {}, onResize: () => {}, onResync: () => {},
      });
      const subscribers = async (r: Redis) => ((await r.pubsub('NUMSUB', store.keys.channel)) as [string, number])[1];
      expect([await subscribers(primary), await subscribers(onReplica)]).toEqual([0, 1]);
      relay.start();
      for (let x = 0; x < 3; x++) await store.place({ x, y: 0, color: 5, userId: `u${x}`, ip: 'i', now: Date.now() });
      await expect.poll(() => seqs).toEqual([1, 2, 3]);
      await feed.close();
    } finally {
      await relay.stop();
      primary.disconnect();
      onReplica.disconnect();
      await store.close();
      await replica.stop();
    }
  });

  it('fails fast with StoreUnavailableError when Redis is gone', async () => {
    const store = await open();
    const other = await startTestRedis();
    const victim = await RedisBoardStore.connect({
      redis: { url: other.url, keyPrefix: 'x', authSecretArn: null }, size: CONTRACT_SIZE, rules: CONTRACT_RULES, sessionsPerIpPerHour: 2, updatesKept: CONTRACT_KEPT,
    });
    await other.stop();
    const started = Date.now();
    await expect(victim.head()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(5000);
    await victim.close();
    await store.close();
  });
});
