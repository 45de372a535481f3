// The JSON control messages of the socket protocol (docs/PROTOCOL.md): what clients may send,
// checked before anything acts on it.

export interface PlaceMessage {
  type: 'place';
  id: string | number;
  x: unknown;
  y: unknown;
  color: unknown;
  /** An idempotency key: a retry (say, after a reconnect) with the same key never places twice. */
  key?: string;
}

const KEY = /^[A-Za-z0-9_-]{1,64}$/;

export type ClientMessage = PlaceMessage | { type: 'ping' };

export type ParsedMessage = { ok: true; message: ClientMessage } | { ok: false; error: string; message: string; id?: string | number };

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
