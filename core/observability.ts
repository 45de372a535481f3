// Failures nobody waits on (a background drain, a confirmation) are never swallowed: each is
// logged as one JSON line and counted by name, so /metrics and the logs both show it.
const counts = new Map<string, number>();

export function countEvent(name: string, n = 1): void {
  counts.set(name, (counts.get(name) ?? 0) + n);
}

export function eventCounts(): ReadonlyMap<string, number> {
  return counts;
}

function describe(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  if (err.cause !== undefined) out.cause = describe(err.cause);
  return out;
}

/** Logs and counts a failure that has no caller to surface it to. */
export function reportFailure(what: string, err: unknown): void {
  countEvent(`failure.${what}`);
  console.error(JSON.stringify({ level: 'error', msg: `${what} failed`, what, error: describe(err) }));
}
