// Board snapshots: the packed board at a seq, taken every SNAPSHOT_INTERVAL_MS. A restore starts
// from one and replays only the placements after it; history (the board at a past moment) reads
// them too. S3 in AWS (s3-snapshot-store.ts), a folder locally (file-snapshot-store.ts); both pass
// snapshot-store.contract.ts. Bytes are stored gzipped, so a CDN can serve them as they are.

export interface SnapshotMeta {
  seq: number;
  /** When it was taken (ms epoch). */
  at: number;
  /** The board's epoch when it was taken. */
  epoch: number;
  width: number;
  height: number;
  /** Where it is kept (object key or file name). */
  key: string;
}

export interface NewSnapshot {
  bytes: Uint8Array;
  seq: number;
  epoch: number;
  at: number;
  width: number;
  height: number;
}

export interface SnapshotStore {
  put(snapshot: NewSnapshot): Promise<SnapshotMeta>;
  /** Every snapshot, oldest (lowest seq) first. */
  list(): Promise<SnapshotMeta[]>;
  /** The board bytes of a snapshot (unzipped). */
  read(meta: SnapshotMeta): Promise<Uint8Array>;
}

const KEY = /^(\d{12})-(\d{13,})-(\d+)-(\d+)x(\d+)\.bin\.gz$/;

/** The name a snapshot is kept under: sorting names sorts by seq. */
export function snapshotName(s: Omit<NewSnapshot, 'bytes'>): string {
  return `${String(s.seq).padStart(12, '0')}-${s.at}-${s.epoch}-${s.width}x${s.height}.bin.gz`;
}

/** The meta a name encodes, or null for a name that is not a snapshot's. */
export function parseSnapshotName(name: string, key = name): SnapshotMeta | null {
  const m = name.match(KEY);
  if (!m) return null;
  const [, seq, at, epoch, width, height] = m.map(Number) as [number, number, number, number, number, number];
  return { seq, at, epoch, width, height, key };
}

/** The newest snapshot taken at or before `at`, or null. */
export function snapshotAtOrBefore(all: readonly SnapshotMeta[], at: number): SnapshotMeta | null {
  let found: SnapshotMeta | null = null;
  for (const s of all) if (s.at <= at && (!found || s.seq > found.seq)) found = s;
  return found;
}
