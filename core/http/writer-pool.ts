// Requests to the writer processes (bin/writer.ts), each in turn: start:cluster's runner forwards
// the page's POST /api/pixels through it (local/writer-forward.ts), and socket servers place
// their clients' pixels through it (socket-server/pixel-placer.ts). A writer that refuses the
// connection (stopped, or killed and not yet back) is skipped for the next, as a load balancer
// takes a failed target out of service; one that took the request and died is not retried
// elsewhere, since it may have placed the pixel: the caller's retry with its Idempotency-Key
// finds out.
import http from 'node:http';
import { WriterLostError, WriterTimeoutError, WriterUnavailableError } from '../errors.ts';

/** Errors that come before anything is sent: no address, no route, no listener. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** How long a writer may take to answer (a write takes milliseconds). */
const WRITER_TIMEOUT_MS = 10_000;

export class WriterPool {
  private next = 0;
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly urls: readonly URL[];

  /** `urls`: http://host:port of each writer (WRITER_URLS); a name with several addresses is one of them. */
  constructor(urls: readonly string[], private readonly timeoutMs = WRITER_TIMEOUT_MS) {
    if (urls.length === 0) throw new Error('a writer pool needs at least one writer URL');
    this.urls = urls.map((u) => new URL(u));
  }

  /**
   * Sends one request to the next writer that takes the connection, and resolves with its answer
   * (its body still to be read). WriterUnavailableError: none took it; WriterLostError: the one
   * that took it stopped before answering.
   */
  async request(method: string, path: string, headers: http.OutgoingHttpHeaders, body: Buffer): Promise<http.IncomingMessage> {
    // Each writer once, from the next in turn (other requests move `next` meanwhile).
    const first = this.next++;
    for (let tries = 0; tries < this.urls.length; tries++) {
      const answer = await this.send(this.urls[(first + tries) % this.urls.length]!, method, path, headers, body);
      if (answer) return answer;
    }
    throw new WriterUnavailableError(`no writer took the request (${this.urls.map((u) => u.host).join(', ')}: none could be reached)`);
  }

  /** One try at one writer: null when it could not be reached (nothing was sent). */
  private send(url: URL, method: string, path: string, headers: http.OutgoingHttpHeaders, body: Buffer): Promise<http.IncomingMessage | null> {
    return new Promise((resolve, reject) => {
      const req = http.request({
        // An IPv6 literal's brackets belong to the URL, not the address.
        host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port, path, method, agent: this.agent, timeout: this.timeoutMs,
        headers: { ...headers, 'content-length': String(body.length) },
      }, resolve);
      let timedOut = false;
      req.once('timeout', () => {
        timedOut = true;
        req.destroy(new Error(`no answer within ${this.timeoutMs} ms`));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code && NOT_SENT.has(err.code)) resolve(null);
        else if (timedOut) reject(new WriterTimeoutError(`writer ${url.host} did not answer within ${this.timeoutMs} ms`, { cause: err }));
        else reject(new WriterLostError(`writer ${url.host} stopped before answering: ${err.message}`, { cause: err }));
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
