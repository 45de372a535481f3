// What every HTTP server of ours does with requests Node cannot hand to a request listener:
// a request it cannot parse gets 400, a CONNECT gets 405, and a client reset on either
// socket is counted, never an unhandled 'error'.
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { countEvent } from '../observability/telemetry.ts';

function refuse(socket: Duplex, status: string): void {
  socket.on('error', () => countEvent('http.socket_error'));
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
  setTimeout(() => socket.destroy(), 2000).unref();
}

export function hardenHttpServer(server: Server): void {
  server.on('clientError', (_err, socket) => {
    countEvent('http.client_error');
    refuse(socket, '400 Bad Request');
  });
  server.on('connect', (_req, socket) => {
    countEvent('http.connect_refused');
    refuse(socket, '405 Method Not Allowed');
  });
}
