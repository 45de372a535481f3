// Requests to the writer processes (bin/writer.ts), each in turn: start:cluster's runner forwards
// the page's POST /api/pixels through it (local/writer-forward.ts), and socket servers place
// their clients' pixels through it (socket-server/pixel-placer.ts). A URL's name may stand for
// several writers (Cloud Map's A records in AWS): each of its addresses, looked up again every
// RESOLVE_MS, is a writer of its own, so the requests spread over every task, a new task gets its
// share within seconds and a stopped one's stale record costs a short connect timeout, not a
// lost request. A writer that cannot be reached is skipped for the next, as a load balancer
// takes a failed target out of service; one that took the request and died is not retried
// elsewhere, since it may have placed the pixel: the caller's retry with its Idempotency-Key
// finds out.
import http from 'node:http';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { WriterLostError, WriterTimeoutError, WriterUnavailableError } from '../errors.ts';
import { reportFailure } from '../observability/telemetry.ts';

/** Errors that come before anything is sent: no address, no route, no listener, no connection in time. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ECONNTIMEOUT']);
/** How long a writer may take to answer (a write takes milliseconds). */
const WRITER_TIMEOUT_MS = 10_000;
/** A connection not made in this long is to a writer that is gone (a stale DNS record): the next is tried. */
const CONNECT_TIMEOUT_MS = 1000;
/** How long a name's addresses are used before they are looked up again (Cloud Map's TTL is 10 s). */
const RESOLVE_MS = 10_000;

/** One writer: an address, and the URL (origin) it came from. */
interface Target { host: string; port: string; origin: string; label: string }

export interface WriterPoolOptions {
  /** How long a writer may take to answer (default 10 s). */
  timeoutMs?: number;
  /** Every address of a name (default: the system resolver, as getaddrinfo answers). */
  lookup?: (host: string) => Promise<string[]>;
  /** How long a name's addresses are used before they are looked up again (default 10 s). */
  resolveMs?: number;
}

const systemLookup = async (host: string) => (await lookup(host, { all: true })).map((a) => a.address);

export class WriterPool {
  private next = 0;
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly urls: readonly URL[];
  private resolved: { at: number; targets: Target[] } | null = null;
  private resolving: Promise<Target[]> | null = null;
  private readonly timeoutMs: number;
  private readonly lookup: (host: string) => Promise<string[]>;
  private readonly resolveMs: number;

  /** `urls`: http://host:port of each writer (WRITER_URLS); a name with several addresses stands for that many writers. */
  constructor(urls: readonly string[], options: WriterPoolOptions = {}) {
    if (urls.length === 0) throw new Error('a writer pool needs at least one writer URL');
    this.urls = urls.map((u) => new URL(u));
    this.timeoutMs = options.timeoutMs ?? WRITER_TIMEOUT_MS;
    this.lookup = options.lookup ?? systemLookup;
    this.resolveMs = options.resolveMs ?? RESOLVE_MS;
  }

  /**
   * Sends one request to the next writer that takes the connection, and resolves with its answer
   * (its body still to be read). WriterUnavailableError: none took it; WriterLostError: the one
   * that took it stopped before answering (WriterTimeoutError: did not answer in time).
   */
  async request(method: string, path: string, headers: http.OutgoingHttpHeaders, body: Buffer): Promise<http.IncomingMessage> {
    const targets = await this.targets();
    // Each writer once, from the next in turn (other requests move `next` meanwhile).
    const first = this.next++;
    for (let tries = 0; tries < targets.length; tries++) {
      const answer = await this.send(targets[(first + tries) % targets.length]!, method, path, headers, body);
      if (answer) return answer;
    }
    throw new WriterUnavailableError(`no writer took the request (${this.urls.map((u) => u.host).join(', ')}: none could be reached)`);
  }

  /** Every writer's address: IP literals as they are, names looked up (all their addresses) at most every RESOLVE_MS. */
  private async targets(): Promise<Target[]> {
    if (this.resolved && Date.now() - this.resolved.at < this.resolveMs) return this.resolved.targets;
    this.resolving ??= Promise.all(this.urls.map(async (url): Promise<Target[]> => {
      // An IPv6 literal's brackets belong to the URL, not the address.
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      if (isIP(host)) return [{ host, port: url.port, origin: url.origin, label: url.host }];
      try {
        return (await this.lookup(host)).map((address) => ({ host: address, port: url.port, origin: url.origin, label: `${url.host} (${address})` }));
      } catch (err) {
        // No writer registered yet, or DNS briefly down: the addresses it had last time, if any.
        reportFailure('writer-lookup', err);
        return this.resolved?.targets.filter((t) => t.origin === url.origin) ?? [];
      }
    })).then((lists) => {
      const targets = lists.flat();
      // None found is not kept: the next request looks again (the writers may be registering).
      this.resolved = targets.length ? { at: Date.now(), targets } : null;
      return targets;
    }).finally(() => { this.resolving = null; });
    return this.resolving;
  }

  /** One try at one writer: null when it could not be reached (nothing was sent). */
  private send(target: Target, method: string, path: string, headers: http.OutgoingHttpHeaders, body: Buffer, retried = false): Promise<http.IncomingMessage | null> {
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: target.host, port: target.port, path, method, agent: this.agent, timeout: this.timeoutMs,
        headers: { ...headers, 'content-length': String(body.length) },
      }, resolve);
      let timedOut = false;
      req.once('socket', (socket) => {
        if (!socket.connecting) return;
        const connectTimer = setTimeout(() => req.destroy(Object.assign(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`), { code: 'ECONNTIMEOUT' })), CONNECT_TIMEOUT_MS);
        socket.once('connect', () => clearTimeout(connectTimer));
        socket.once('close', () => clearTimeout(connectTimer));
      });
      req.once('timeout', () => {
        timedOut = true;
        req.destroy(new Error(`no answer within ${this.timeoutMs} ms`));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code && NOT_SENT.has(err.code)) return resolve(null);
        // A kept-alive connection the writer closed as this request went out (it was stopping, or
        // idle too long): the writer never read it. Sent again once, on a new connection, when a
        // retry cannot place twice (it has an Idempotency-Key).
        if (req.reusedSocket && err.code === 'ECONNRESET' && !retried && headers['idempotency-key']) {
          return resolve(this.send(target, method, path, headers, body, true));
        }
        if (timedOut) reject(new WriterTimeoutError(`writer ${target.label} did not answer within ${this.timeoutMs} ms`, { cause: err }));
        else reject(new WriterLostError(`writer ${target.label} stopped before answering: ${err.message}`, { cause: err }));
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
