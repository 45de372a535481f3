// The JSON control messages of the socket protocol (docs/PROTOCOL.md): what clients may send,
// checked before anything acts on it.

export interface PlaceMessage {
  type: 'place';
  id: string | number;
  x: unknown;
  y: unknown;
  color: unknown;
}

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
    return { ok: true, message: { type: 'place', id, x: m.x, y: m.y, color: m.color } };
  }
  return { ok: false, error: 'unknown_type', message: `Unknown message type ${JSON.stringify(m.type)}.`, id };
}
