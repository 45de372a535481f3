// One process of fan-out benchmark clients. Told (over IPC) how many to open and where; says
// when they are all connected; at the end reports bytes received and sampled frame times.
import { RawWsClient } from './raw-ws-client.ts';

interface Start { port: number; count: number; sampleEvery: number; firstAddress: number }

const clients: RawWsClient[] = [];

process.on('message', (msg: { type: string } & Partial<Start>) => {
  handle(msg).catch((err: unknown) => {
    console.error('fan-out worker failed', err);
    process.exit(1);
  });
});

async function handle(msg: { type: string } & Partial<Start>): Promise<void> {
  if (msg.type === 'start') {
    const { port, count, sampleEvery, firstAddress } = msg as Start;
    let failed = 0;
    // Connect in waves so the listen backlog is not overrun.
    for (let i = 0; i < count; i += 500) {
      await Promise.all(Array.from({ length: Math.min(500, count - i) }, (_, j) => new Promise<void>((resolve) => {
        const n = i + j;
        // Spread over several loopback addresses: one source address has ~28k ephemeral ports.
        const address = `127.0.0.${firstAddress + (n % 8)}`;
        clients.push(new RawWsClient(port, address, n % sampleEvery === 0, (err) => { if (err) failed++; resolve(); }));
      })));
    }
    process.send!({ type: 'connected', count: clients.length - failed, failed });
  } else if (msg.type === 'report') {
    const totalBytes = clients.reduce((n, c) => n + c.bytes, 0);
    const frames = clients.filter((c) => c.frames).map((c) => c.frames!);
    process.send!({ type: 'report', totalBytes, frames });
  } else if (msg.type === 'stop') {
    for (const c of clients) c.close();
    process.exit(0);
  }
}
