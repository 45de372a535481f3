// A fetch for benchmark sync clients that counts what they ask the HTTP API for, by kind:
// the board, update segments, `?since=`, tiles. Bytes are counted as received after decoding
// and on the wire (Content-Length, which for a gzip board is the compressed size).

export type FetchKind = 'board' | 'segment' | 'since' | 'tile' | 'other';
export const FETCH_KINDS: FetchKind[] = ['board', 'segment', 'since', 'tile', 'other'];

export interface FetchCount { requests: number; bytes: number; wire: number }
export type FetchCounts = Record<FetchKind, FetchCount>;

export function emptyCounts(): FetchCounts {
  return Object.fromEntries(FETCH_KINDS.map((k) => [k, { requests: 0, bytes: 0, wire: 0 }])) as FetchCounts;
}

export function kindOf(url: string): FetchKind {
  const path = new URL(url).pathname;
  if (path === '/api/board') return 'board';
  if (path.startsWith('/api/board/tiles/')) return 'tile';
  if (path.startsWith('/api/updates/')) return 'segment';
  if (path === '/api/pixels') return 'since';
  return 'other';
}

/** Adds b − a into `into` (counter deltas between two marks). */
export function diffCounts(a: FetchCounts, b: FetchCounts): FetchCounts {
  const out = emptyCounts();
  for (const k of FETCH_KINDS) {
    out[k] = { requests: b[k].requests - a[k].requests, bytes: b[k].bytes - a[k].bytes, wire: b[k].wire - a[k].wire };
  }
  return out;
}

export function addCounts(into: FetchCounts, more: FetchCounts): FetchCounts {
  for (const k of FETCH_KINDS) {
    into[k].requests += more[k].requests;
    into[k].bytes += more[k].bytes;
    into[k].wire += more[k].wire;
  }
  return into;
}

export function cloneCounts(c: FetchCounts): FetchCounts {
  return addCounts(emptyCounts(), c);
}

/** fetch, counting into `counts`; the body is read here (once) and handed on. */
export function countingFetch(counts: FetchCounts): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const res = await fetch(input, init);
    const body = await res.arrayBuffer();
    const c = counts[kindOf(url)];
    c.requests++;
    c.bytes += body.byteLength;
    c.wire += Number(res.headers.get('content-length')) || body.byteLength;
    return new Response([204, 205, 304].includes(res.status) ? null : body, { status: res.status, headers: res.headers });
  };
}
