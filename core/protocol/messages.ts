// The socket protocol's text messages (docs/PROTOCOL.md), its close codes and the session
// cookie: what the server, the socket clients, the page, the benchmarks and the tests share.
// Binary frames are pixel batches (pixel-batch.ts).

/** Sent in `hello`; a client that does not know this version should reload (the page) or stop. */
export const PROTOCOL_VERSION = 1;

/** The cookie the session token travels in (HTTP API and WebSocket upgrade). */
export const SESSION_COOKIE = 'place_session';

export const CLOSE = {
  /** The server is stopping: reconnect with backoff. */
  GOING_AWAY: 1001,
  /** The client sent binary data. */
  UNSUPPORTED_DATA: 1003,
  /** A message over SOCKET_MAX_MESSAGE_BYTES. */
  MESSAGE_TOO_BIG: 1009,
  /** The connection ended without a close frame (a lost server, a connect that timed out); never sent. */
  ABNORMAL: 1006,
  /** The server is draining (SIGTERM): reconnect soon, elsewhere. */
  SERVICE_RESTART: 1012,
  /** The client's send buffer passed SOCKET_MAX_BUFFERED_BYTES. */
  SLOW_CONSUMER: 4001,
  /** More messages a second than SOCKET_MESSAGES_PER_SECOND. */
  TOO_MANY_MESSAGES: 4002,
} as const;

// --- server → client ----------------------------------------------------------------------

export interface HelloMessage {
  type: 'hello';
  protocol: number;
  /** The last seq this server has sent. */
  seq: number;
  /** The board's epoch (X-Board-Epoch): it changes with every restore. */
  epoch: number;
  width: number;
  height: number;
  cooldownMs: number;
  online: number;
  /**
   * The client reconnected naming its seq and epoch (?seq=&epoch=), and the frames it missed
   * follow this message, from the server's memory: it needs no HTTP catch-up.
   */
  resumed?: boolean;
  /** Seqs per segment of `GET /api/updates/{epoch}/{segment}`; absent: catch up with `?since=`. */
  segment?: number;
}

/**
 * The board's tile hashes (board-digest.ts) at `seq`: a client whose copy is at exactly that seq
 * compares, and fetches only the tiles that differ. Sent after hello and every SOCKET_DIGEST_MS.
 */
export interface DigestMessage {
  type: 'digest';
  epoch: number;
  seq: number;
  width: number;
  height: number;
  /** Tile side in pixels (DIGEST_TILE). */
  tile: number;
  /** 8 hex digits a tile, in tile order. */
  hashes: string;
}

export type ServerMessage =
  | HelloMessage
  | DigestMessage
  /** The board grew to width × height after `seq`: pixels and seqs are kept, the new area is empty. */
  | { type: 'resize'; width: number; height: number; seq: number }
  /** The board was restored: a new epoch whose last seq is `seq`. */
  | { type: 'reset'; epoch: number; seq: number }
  /** Updates were lost for good: check the whole board. */
  | { type: 'resync'; seq: number }
  | { type: 'online'; count: number }
  | { type: 'placed'; id: string | number; seq: number; nextAllowedAt: number }
  | { type: 'error'; id?: string | number; error: string; message: string; retryAfterMs?: number }
  | { type: 'pong' }
  /**
   * The board's state and cooldown (an admin changed them): sent right after hello and to every
   * client the moment it changes. Writes are refused unless `state` is live and `opensAt` has passed.
   */
  | BoardStatusMessage
  | TemplateGriefedMessage;

export interface BoardStatusMessage {
  type: 'board';
  state: 'live' | 'paused' | 'ended';
  message: string | null;
  opensAt: number | null;
  cooldownMs: number;
}

/**
 * Pixels of the template this client watches (a `watch` message) were turned from right to
 * wrong: `count` of them since the last such message, some of them in `pixels` ([x, y]).
 */
export interface TemplateGriefedMessage {
  type: 'template-griefed';
  template: string;
  count: number;
  pixels: readonly (readonly [number, number])[];
  seq: number;
}

export function encodeServerMessage(message: ServerMessage): string {
  return JSON.stringify(message);
}

const SERVER_TYPES = new Set<ServerMessage['type']>(['hello', 'digest', 'resize', 'reset', 'resync', 'online', 'placed', 'error', 'pong', 'template-griefed', 'board']);

/** A server message, or null for text that is not one (ignored by clients). */
export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const value = JSON.parse(text) as { type?: unknown } | null;
    return value && typeof value === 'object' && SERVER_TYPES.has(value.type as ServerMessage['type']) ? (value as ServerMessage) : null;
  } catch {
    return null;
  }
}

// --- client → server ----------------------------------------------------------------------

export interface PlaceMessage {
  type: 'place';
  id: string | number;
  x: unknown;
  y: unknown;
  color: unknown;
  /** An idempotency key: a retry (say, after a reconnect) with the same key never places twice. */
  key?: string;
}

/** Which template this connection wants grief alerts for (null: none). One at a time. */
export interface WatchMessage {
  type: 'watch';
  template: string | null;
}

const TEMPLATE_ID = /^[A-Za-z0-9_-]{11}$/;

/** What a client found comparing a digest: tiles that differed and pixels it repaired (counted in /metrics). */
export interface MismatchMessage {
  type: 'mismatch';
  tiles: number;
  pixels: number;
}

export type ClientMessage = PlaceMessage | MismatchMessage | { type: 'ping' } | WatchMessage;

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

const KEY = /^[A-Za-z0-9_-]{1,64}$/;

export type ParsedMessage = { ok: true; message: ClientMessage } | { ok: false; error: string; message: string; id?: string | number };

/** Checks what a client sent before anything acts on it. */
export function parseClientMessage(text: string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'invalid_json', message: 'The message is not valid JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'invalid_message', message: 'A message is a JSON object with a "type".' };
  }
  const m = value as Record<string, unknown>;
  const id = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : undefined;
  if (m.type === 'ping') return { ok: true, message: { type: 'ping' } };
  if (m.type === 'watch') {
    if (m.template !== null && (typeof m.template !== 'string' || !TEMPLATE_ID.test(m.template))) {
      return { ok: false, error: 'invalid_message', message: 'A watch "template" is a template id or null.' };
    }
    return { ok: true, message: { type: 'watch', template: m.template } };
  }
  if (m.type === 'mismatch') {
    const count = (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1e8 ? (v as number) : null);
    const tiles = count(m.tiles);
    const pixels = count(m.pixels);
    if (tiles === null || pixels === null) return { ok: false, error: 'invalid_message', message: 'A mismatch message has "tiles" and "pixels" counts.' };
    return { ok: true, message: { type: 'mismatch', tiles, pixels } };
  }
  if (m.type === 'place') {
    if (id === undefined || (typeof id === 'string' && id.length > 64)) {
      return { ok: false, error: 'invalid_message', message: 'A place message needs an "id" (string or number).' };
    }
    if (m.key !== undefined && (typeof m.key !== 'string' || !KEY.test(m.key))) {
      return { ok: false, error: 'invalid_message', message: 'A place "key" is 1 to 64 letters, digits, "-" or "_".', id };
    }
    const message: PlaceMessage = { type: 'place', id, x: m.x, y: m.y, color: m.color };
    if (typeof m.key === 'string') message.key = m.key;
    return { ok: true, message };
  }
  return { ok: false, error: 'unknown_type', message: `Unknown message type ${JSON.stringify(m.type)}.`, id };
}
