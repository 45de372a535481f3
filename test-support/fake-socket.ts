// A WebSocket stand-in for client tests: records what the client sends; the test plays the server.
import type { SocketLike } from '../web/sync/reconnecting-socket.ts';

export class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly sent: string[] = [];

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(data);
  }

  close(code = 1000): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code });
  }

  /** The server accepts the connection. */
  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** The server sends a text (JSON) or binary message. */
  receive(data: string | Uint8Array): void {
    this.onmessage?.({ data: typeof data === 'string' ? data : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) });
  }

  /** The server closes the connection with `code`. */
  drop(code: number): void {
    this.close(code);
  }
}

/** A socket factory that keeps every socket it opened, newest last. */
export function fakeSockets(): { open: (url: string) => FakeSocket; opened: FakeSocket[]; last(): FakeSocket } {
  const opened: FakeSocket[] = [];
  return { opened, open: (url) => { const s = new FakeSocket(url); opened.push(s); return s; }, last: () => opened.at(-1)! };
}
