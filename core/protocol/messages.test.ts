import { describe, expect, it } from 'vitest';
import { encodeClientMessage, encodeServerMessage, parseClientMessage, parseServerMessage, PROTOCOL_VERSION } from './messages.ts';

describe('socket messages', () => {
  it('round-trips every server message type through the client parser', () => {
    const messages = [
      { type: 'hello', protocol: PROTOCOL_VERSION, seq: 1, epoch: 2, width: 3, height: 4, cooldownMs: 5, online: 6 },
      { type: 'digest', epoch: 2, seq: 9, width: 3, height: 4, tile: 256, hashes: '0000000a' },
      { type: 'resize', width: 30, height: 20, seq: 9 },
      { type: 'reset', epoch: 2, seq: 9 }, { type: 'resync', seq: 9 }, { type: 'online', count: 3 },
      { type: 'placed', id: 1, seq: 9, nextAllowedAt: 10 }, { type: 'error', id: 'a', error: 'rate_limited', message: 'wait' }, { type: 'pong' },
      { type: 'template-griefed', template: 'AAAAAAAAAAA', count: 2, pixels: [[1, 2], [3, 4]], seq: 9 },
    ] as const;
    for (const m of messages) expect(parseServerMessage(encodeServerMessage(m))).toEqual(m);
  });

  it('ignores text that is not a server message', () => {
    for (const text of ['{', 'null', '[]', '{"type":"dance"}', '5']) expect(parseServerMessage(text)).toBeNull();
  });

  it('accepts place, mismatch and ping from clients, with an optional idempotency key on place', () => {
    expect(parseClientMessage(encodeClientMessage({ type: 'ping' }))).toEqual({ ok: true, message: { type: 'ping' } });
    expect(parseClientMessage(encodeClientMessage({ type: 'place', id: 7, x: 1, y: 2, color: 3, key: 'k-1' })))
      .toEqual({ ok: true, message: { type: 'place', id: 7, x: 1, y: 2, color: 3, key: 'k-1' } });
    expect(parseClientMessage(encodeClientMessage({ type: 'mismatch', tiles: 2, pixels: 17 }))).toEqual({ ok: true, message: { type: 'mismatch', tiles: 2, pixels: 17 } });
  });

  it('accepts watching a template (or none), and refuses anything that is not a template id', () => {
    expect(parseClientMessage(encodeClientMessage({ type: 'watch', template: 'Abc-_123xyz' }))).toEqual({ ok: true, message: { type: 'watch', template: 'Abc-_123xyz' } });
    expect(parseClientMessage('{"type":"watch","template":null}')).toEqual({ ok: true, message: { type: 'watch', template: null } });
    for (const bad of ['{"type":"watch"}', '{"type":"watch","template":"../x"}', '{"type":"watch","template":7}']) expect(parseClientMessage(bad).ok).toBe(false);
  });

  it.each([
    ['{not json', 'invalid_json'], ['[1]', 'invalid_message'], ['{"type":"place","x":1}', 'invalid_message'],
    ['{"type":"place","id":1,"key":"bad key"}', 'invalid_message'], ['{"type":"mismatch","tiles":-1,"pixels":0}', 'invalid_message'], ['{"type":"dance","id":3}', 'unknown_type'],
  ])('refuses %s with %s', (text, error) => {
    const parsed = parseClientMessage(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toBe(error);
  });
});
