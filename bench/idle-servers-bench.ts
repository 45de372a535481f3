// `npm run bench:idle-servers`: what each socket server costs Redis while nobody writes: its
// lease loops (the feed relay, the template tracker, the board publisher: one server holds each
// lease, the others follow), its presence reports and its feed subscription. Runs N real
// SocketServers and template trackers in this process, each on connections of its own as
// separate tasks would be, against a real Redis with a 1000×1000 board, and reads the Redis
// process's CPU (/proc) and its INFO commandstats over SECONDS, RUNS times per N.
//   IDLE_SERVERS (1,50,200), IDLE_SECONDS (10), IDLE_RUNS (3), IDLE_WARMUP_S (5).
import './exit-on-signal.ts';
import { rmSync } from 'node:fs';
import { createBoard } from '../core/domain/board-codec.ts';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { RedisPresence } from '../core/presence/redis-presence.ts';
import { RedisCommunityStore } from '../core/community/redis-community-store.ts';
import { startTemplateTracker, type TemplateTracker } from '../core/community/template-tracker.ts';
import { createBoardObjects } from '../core/service/services.ts';
import { loadConfig } from '../core/config.ts';
import { SocketServer } from '../socket-server/socket-server.ts';
import { WriterPixelPlacer } from '../socket-server/pixel-placer.ts';
import { WriterPool } from '../core/http/writer-pool.ts';
import { startRedis } from '../local/processes/redis-process.ts';
import { Redis } from 'ioredis';
import { freePort, tempDir } from '../test-support/test-services.ts';
import { cpuSeconds, round } from './bench-support.ts';
import { useTelemetry } from '../core/observability/telemetry.ts';
import { nodeTelemetry } from '../core/observability/node-telemetry.ts';

useTelemetry(nodeTelemetry({ level: 'warn', name: 'bench-idle-servers' }));

const COUNTS = (process.env.IDLE_SERVERS ?? '1,50,200').split(',').map(Number);
const SECONDS = Number(process.env.IDLE_SECONDS ?? 10);
const RUNS = Number(process.env.IDLE_RUNS ?? 3);
const WARMUP_MS = Number(process.env.IDLE_WARMUP_S ?? 5) * 1000;
const size = { width: 1000, height: 1000 };

interface Server {
  sockets: SocketServer;
  tracker: TemplateTracker;
  stop(): Promise<void>;
}

/** Calls and µs of command time per command (a script's own commands counted inside it and again on their own). */
function commandStats(info: string): Map<string, { calls: number; usec: number }> {
  const stats = new Map<string, { calls: number; usec: number }>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) stats.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  return stats;
}

async function startServer(redisUrl: string, dataDir: string): Promise<Server> {
  const config = loadConfig({ REDIS_URL: redisUrl, DATA_DIR: dataDir, BOARD_WIDTH: '1000', BOARD_HEIGHT: '1000' });
  const redis = config.redis!;
  const store = await RedisBoardStore.connect({
    redis, size: config.board, rules: config.cooldown, sessionsPerIpPerHour: config.sessionsPerIpPerHour,
    updatesKept: config.updatesKept, feedMode: config.socket.feedMode,
  });
  const presence = await RedisPresence.connect(redis, 3 * config.socket.onlineIntervalMs);
  const community = new RedisCommunityStore(store.connection, redis);
  // Nobody connects, so nothing is placed: the pool's address is never dialled.
  const placer = new WriterPixelPlacer(new WriterPool(['http://127.0.0.1:9']));
  const sockets = new SocketServer({
    config, store, presence, placer, relay: store, publish: { objects: createBoardObjects(config), store }, templateEvents: community,
  });
  await sockets.start();
  const tracker = startTemplateTracker(config, store, community);
  return {
    sockets, tracker,
    stop: async () => {
      await tracker.stop();
      await sockets.close();
      placer.destroy();
      await presence.close();
      await store.close();
    },
  };
}

console.log(`Redis commands and CPU of idle socket servers (${SECONDS} s a run, ${RUNS} runs; ${new Date().toISOString()})`);
console.log("| socket servers | commands/s (with scripts' own) | per server | Redis CPU ms/s | per server µs/s | µs a write at 2,000 writes/s | the costliest commands: calls/s (µs of command time/s) |");
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const count of COUNTS) {
  const dataDir = tempDir('bench-idle');
  const redisProcess = await startRedis({ port: await freePort(), dataDir: tempDir('bench-idle-redis') });
  const admin = new Redis(redisProcess.url);
  const servers: Server[] = [];
  try {
    const seed = await RedisBoardStore.connect({
      redis: loadConfig({ REDIS_URL: redisProcess.url }).redis!, size, rules: { cooldownMs: 0, placementsPerIp: 1 },
      sessionsPerIpPerHour: 10, updatesKept: 1000, feedMode: 'relay',
    });
    await seed.restore({ board: createBoard(size), seq: 0, version: 0 }, [], Date.now());
    await seed.close();
    for (let i = 0; i < count; i++) servers.push(await startServer(redisProcess.url, dataDir));
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const rows: { calls: number; cpuUs: number; kinds: Map<string, { calls: number; usec: number }> }[] = [];
    for (let run = 0; run < RUNS; run++) {
      await admin.config('RESETSTAT');
      const cpu0 = cpuSeconds(redisProcess.pid);
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      const cpu1 = cpuSeconds(redisProcess.pid);
      const kinds = commandStats(await admin.info('commandstats'));
      kinds.delete('config');
      kinds.delete('info');
      const calls = [...kinds.values()].reduce((n, v) => n + v.calls, 0);
      rows.push({ calls: calls / SECONDS, cpuUs: ((cpu1 - cpu0) * 1e6) / SECONDS, kinds });
    }
    const range = (f: (r: (typeof rows)[number]) => number, digits = 0) => {
      const v = rows.map(f);
      return `${round(Math.min(...v), digits)}–${round(Math.max(...v), digits)}`;
    };
    const leaders = servers.filter((s) => s.sockets.relay?.leading).length;
    const top = [...rows.at(-1)!.kinds].sort((a, b) => b[1].usec - a[1].usec).slice(0, 6)
      .map(([k, v]) => `${k} ${round(v.calls / SECONDS, 0)} (${round(v.usec / SECONDS, 0)} µs)`).join(', ');
    console.log(`| ${count} (${leaders} relaying) | ${range((r) => r.calls)} | ${range((r) => r.calls / count, 1)} | ${range((r) => r.cpuUs / 1000, 2)} | ${range((r) => r.cpuUs / count, 0)} | ${range((r) => r.cpuUs / 2000, 2)} | ${top} |`);
  } finally {
    for (const s of servers) await s.stop().catch(() => {});
    admin.disconnect();
    await redisProcess.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
process.exit(0);
