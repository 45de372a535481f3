// The socket server inside the one-process local run: same code as the ECS service, fed by the
// process's own store, placing pixels through the write-pixel handler in this process.
import { createBoardObjects, type Services } from '../core/service/services.ts';
import { EmbeddedPresence, type Presence } from '../core/presence/presence.ts';
import { RedisPresence } from '../core/presence/redis-presence.ts';
import { RedisBoardStore } from '../core/board-store/redis-board-store.ts';
import { InProcessPixelPlacer } from '../socket-server/pixel-placer.ts';
import { HANDLERS } from '../lambdas/handlers.ts';
import { SocketServer } from '../socket-server/socket-server.ts';
import type { LocalServer } from './local-server.ts';

export interface LocalSockets {
  server: SocketServer;
  drain(): Promise<void>;
  close(): Promise<void>;
}

export async function attachSocketServer(services: Services, http: LocalServer): Promise<LocalSockets> {
  const placer = new InProcessPixelPlacer(HANDLERS['write-pixel']!);
  const staleMs = 3 * services.config.socket.onlineIntervalMs;
  const { redis } = services.config;
  // With Redis, this runner's sockets count towards the same total as the standalone servers.
  const presence: Presence = redis ? await RedisPresence.connect(redis, staleMs) : new EmbeddedPresence(staleMs);
  // With Redis, this runner relays the feed too when it holds the lease (it may be the only socket server).
  const relay = services.store instanceof RedisBoardStore && services.config.socket.feedMode === 'relay' ? services.store : undefined;
  const publish = { objects: createBoardObjects(services.config), store: services.store };
  const server = new SocketServer({ config: services.config, store: services.store, presence, placer, relay, publish, templateEvents: services.community.live });
  await server.start();
  server.attach(http.server);
  return {
    server,
    drain: () => server.drain(),
    close: async () => { await server.close(); placer.destroy(); await presence.close(); },
  };
}
