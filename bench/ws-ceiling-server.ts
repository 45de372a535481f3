// The machine's ceiling for WebSocket writes: a bare ws server writing one pre-framed message
// (of the size asked) to each connected client as fast as it can, for a fixed time.
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { binaryFrame, sendFramed } from '../socket-server/framed-send.ts';

const server = http.createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
const clients = new Set<WebSocket>();
wss.on('connection', (ws) => { clients.add(ws); ws.on('close', () => clients.delete(ws)); });
server.listen(Number(process.env.PORT), '127.0.0.1');

process.on('message', (msg: { type: string; ms: number; bytes: number }) => {
  if (msg.type !== 'blast') return;
  const frame = binaryFrame(new Uint8Array(msg.bytes));
  let writes = 0;
  const started = performance.now();
  const round = () => {
    for (const ws of clients) {
      if (ws.bufferedAmount < 1 << 20) {
        sendFramed(ws, frame);
        writes++;
      }
    }
    if (performance.now() - started < msg.ms) setImmediate(round);
    else process.send!({ type: 'result', writesPerSecond: writes / ((performance.now() - started) / 1000), clients: clients.size });
  };
  round();
});
