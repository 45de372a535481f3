// A bare WebSocket client on a TCP socket: the handshake, then either a byte count (most
// clients) or a parse of frame headers with receive times (sampled clients). Light enough to
// hold thousands per process on the same 2-core machine as the server under test.
import { peekBatchHeader } from '../core/protocol/pixel-batch.ts';
import net from 'node:net';
import { randomBytes } from 'node:crypto';

export interface FrameRecord {
  firstSeq: number;
  count: number;
  at: number;
}

export class RawWsClient {
  bytes = 0;
  frames: FrameRecord[] | null;
  private pending: Buffer | null = null;
  private readonly socket: net.Socket;

  constructor(port: number, localAddress: string, sample: boolean, ready: (err?: Error) => void) {
    this.frames = sample ? [] : null;
    this.socket = net.connect({ port, host: '127.0.0.1', localAddress });
    this.socket.setNoDelay(true);
    let upgraded = false;
    this.socket.once('connect', () => {
      this.socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
        + `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    this.socket.once('error', (err) => { if (!upgraded) ready(err); });
    this.socket.on('data', (chunk: Buffer) => {
      if (!upgraded) {
        const end = chunk.indexOf('\r\n\r\n');
        if (end < 0 || !chunk.subarray(0, 12).toString().includes('101')) return ready(new Error(chunk.toString().split('\r\n')[0]));
        upgraded = true;
        ready();
        chunk = chunk.subarray(end + 4);
      }
      this.bytes += chunk.length;
      if (this.frames) this.parse(chunk, performance.timeOrigin + performance.now());
    });
  }

  private parse(chunk: Buffer, at: number): void {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      if (buf.length < 2) break;
      let len = buf[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (buf.length < 4) break;
        len = buf.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (buf.length < 10) break;
        len = Number(buf.readBigUInt64BE(2));
        offset = 10;
      }
      if (buf.length < offset + len) break;
      const header = (buf[0]! & 0x0f) === 2 ? peekBatchHeader(buf, offset) : null;
      if (header) this.frames!.push({ ...header, at });
      buf = buf.subarray(offset + len);
    }
    this.pending = buf.length ? Buffer.from(buf) : null;
  }

  close(): void {
    this.socket.destroy();
  }
}
