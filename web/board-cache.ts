// The last board this browser saw, kept in IndexedDB with its seq and epoch, so that the next
// visit shows it at once while the live board is fetched. It is only ever a stand-in: the
// page replaces it with the server's board as soon as that arrives.
export interface CachedBoard {
  bytes: Uint8Array;
  width: number;
  height: number;
  seq: number;
  epoch: number;
  savedAt: number;
}

const DB = 'place';
const STORE = 'boards';
const KEY = 'last';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('indexedDB.open failed'));
  });
}

let db: Promise<IDBDatabase> | null = null;

function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  db ??= openDb();
  return db.then((d) => new Promise<T>((resolve, reject) => {
    const req = work(d.transaction(STORE, mode).objectStore(STORE));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('indexedDB request failed'));
  }));
}

/** The cached board, or null (none, storage unavailable, or slower than `timeoutMs`). */
export async function readCachedBoard(timeoutMs = 400): Promise<CachedBoard | null> {
  if (typeof indexedDB === 'undefined') return null;
  const read = run<CachedBoard | undefined>('readonly', (s) => s.get(KEY) as IDBRequest<CachedBoard | undefined>)
    .then((b) => (b && b.width > 0 && b.height > 0 && b.bytes instanceof Uint8Array && b.bytes.length === Math.ceil((b.width * b.height) / 2) ? b : null))
    // No cache (private browsing, storage full or blocked): the page waits for the network, as on a first visit.
    .catch(() => null);
  const late = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
  return Promise.race([read, late]);
}

/** Saves a copy of the board (IndexedDB clones it at once, so the caller may go on changing it). */
export async function saveCachedBoard(board: CachedBoard): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await run('readwrite', (s) => s.put(board, KEY));
}
