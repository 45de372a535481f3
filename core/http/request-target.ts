// Parses an HTTP request-target without ever throwing: origin-form ("/path?query") is split
// as is (a target like "//[" is just an odd path, not a URL with a broken host), absolute-form
// ("http://host/path") is parsed as a URL, and anything else ("*", garbage) is null.
export interface RequestTarget {
  path: string;
  /** The query as sent, without "?" (values still %-encoded). */
  rawQuery: string;
  /** The query decoded leniently (a stray "%" stays a "%"). */
  query: URLSearchParams;
}

export function parseRequestTarget(raw: string | undefined): RequestTarget | null {
  if (!raw) return null;
  let pathAndQuery: string;
  if (raw.startsWith('/')) {
    pathAndQuery = raw;
  } else if (/^https?:\/\//i.test(raw)) {
    try {
      const url = new URL(raw);
      pathAndQuery = `${url.pathname}${url.search}`;
    } catch {
      return null;
    }
  } else {
    return null;
  }
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const rawQuery = q < 0 ? '' : pathAndQuery.slice(q + 1);
  return { path, rawQuery, query: new URLSearchParams(rawQuery) };
}
