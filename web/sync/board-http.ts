// The HTTP reads a sync client makes (docs/PROTOCOL.md): the board, update segments (cached
// by the CDN), `?since=` for the open tail, and tiles of the board. Counts the bytes it
// receives so benchmarks and the page can say what a client costs.
import { decodePixelBatch, type PixelBatch } from '../../core/protocol/pixel-batch.ts';

export interface FetchedBoard {
  bytes: Uint8Array;
  seq: number;
  epoch: number;
  width: number;
  height: number;
  etag: string | null;
}

export interface FetchedTile {
  /** The tile's pixels, packed 4 bits a pixel row by row (as the board). */
  bytes: Uint8Array;
  seq: number;
  epoch: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A pixel batch, or 'gone' (410: another epoch, or older than kept): load the board again. */
export type FetchedUpdates = { status: 'ok'; batch: PixelBatch; lastSeq: number } | { status: 'gone' };

export class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  constructor(readonly what: string, readonly status: number) {
    super(`${what}: HTTP ${status}`);
  }
}

/**
 * X-Board-<name> from the API, or the same as S3 object metadata (x-amz-meta-board-<name>) when
 * the board came from a published copy the API redirected to.
 */
function boardHeader(res: Response, name: string): number {
  return Number(res.headers.get(`x-board-${name}`) ?? res.headers.get(`x-amz-meta-board-${name}`)) || 0;
}

export class BoardHttp {
  /** Body bytes received (after any content decoding). */
  bytesReceived = 0;
  requests = 0;

  constructor(private readonly apiUrl: string, private readonly fetchFn: typeof fetch) {}

  /**
   * The board, or null when it has not changed since `etag` (304). A copy of an epoch older than
   * `minEpoch` (a CDN still holding the board from before a restore) is fetched again shortly.
   */
  async board(minEpoch = 0, etag: string | null = null): Promise<FetchedBoard | null> {
    const headers: Record<string, string> = etag ? { 'if-none-match': etag } : {};
    let res = await this.get('/api/board', headers);
    for (let tries = 1; res.status === 200 && Number(res.headers.get('x-board-epoch')) < minEpoch && tries < 10; tries++) {
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 500 * tries));
      res = await this.get('/api/board', headers);
    }
    if (res.status === 304) return null;
    if (res.status !== 200) throw new HttpStatusError('board', res.status);
    return {
      bytes: await this.body(res),
      seq: boardHeader(res, 'seq'),
      epoch: boardHeader(res, 'epoch'),
      width: boardHeader(res, 'width'),
      height: boardHeader(res, 'height'),
      etag: res.headers.get('etag'),
    };
  }

  /** One segment of `size` seqs (`GET /api/updates/{epoch}/{index}`): full ones come from the CDN. */
  segment(epoch: number, index: number): Promise<FetchedUpdates> {
    return this.updates('segment', `/api/updates/${epoch}/${index}`);
  }

  /** The updates after `seq` (uncached: only for what the segments do not have yet). */
  since(seq: number, epoch: number): Promise<FetchedUpdates> {
    return this.updates('since', `/api/pixels?since=${seq}&epoch=${epoch}`);
  }

  /** One tile of the board (`GET /api/board/tiles/{tx}/{ty}`). */
  async tile(tx: number, ty: number): Promise<FetchedTile> {
    const res = await this.get(`/api/board/tiles/${tx}/${ty}`);
    if (res.status !== 200) throw new HttpStatusError('tile', res.status);
    const h = (name: string) => Number(res.headers.get(name));
    return {
      bytes: await this.body(res), seq: h('x-board-seq'), epoch: h('x-board-epoch'),
      x: h('x-tile-x'), y: h('x-tile-y'), width: h('x-tile-width'), height: h('x-tile-height'),
    };
  }

  private async updates(what: string, path: string): Promise<FetchedUpdates> {
    const res = await this.get(path);
    if (res.status === 410) {
      await res.arrayBuffer();
      return { status: 'gone' };
    }
    if (res.status !== 200) throw new HttpStatusError(what, res.status);
    const batch = decodePixelBatch(await this.body(res));
    return { status: 'ok', batch, lastSeq: batch.count ? batch.firstSeq + batch.count - 1 : batch.firstSeq - 1 };
  }

  private get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    this.requests++;
    return this.fetchFn(`${this.apiUrl}${path}`, { headers });
  }

  private async body(res: Response): Promise<Uint8Array> {
    const bytes = new Uint8Array(await res.arrayBuffer());
    this.bytesReceived += bytes.length;
    return bytes;
  }
}
