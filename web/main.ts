// The board page starts here. Everything a viewer needs starts at once, in parallel: the board
// (preloaded by index.html), the socket, the last board this browser saw (IndexedDB, shown at
// once as a stand-in), and a returning visitor's session. Viewing needs no session; placing
// starts one on first use (session.ts).
import { BoardSync, type SocketLike } from './sync/board-sync.ts';
import { readCachedBoard, saveCachedBoard } from './board-cache.ts';
import { BoardPage } from './board-page.ts';
import { Session, SessionError } from './session.ts';
import { StatusView } from './status.ts';
import { showAccount } from './account.ts';
import { showBoardStatus } from './board-status.ts';
import { $ } from './dom.ts';
import { PALETTE } from '../core/domain/palette.ts';
import { attachCommunity, type Community } from './community/community.ts';

const CACHE_SAVE_MS = 30_000;

const status = new StatusView();
const session = new Session();
const sync = new BoardSync({
  apiUrl: '',
  socketUrls: [`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`],
  openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  loadBoardAtStart: true,
});

let page: BoardPage | null = null;
// Templates, history, heatmap, my pixels (issue 12: web/community/), over the board once its size is known.
let community: Community | null = null;
const pageOfSize = (width: number, height: number): BoardPage => {
  if (page) return page;
  page = new BoardPage({ sync, session, status, width, height, onPlaced: (x, y, c) => community?.placed(x, y, c) });
  community = attachCommunity({
    width, height, palette: PALETTE, userId: () => session.me?.userId ?? null, sync, board: $<HTMLCanvasElement>('board'), toast: (t, ms) => status.toast(t, ms),
  });
  return page;
};

// --- the live board ----------------------------------------------------------------------------
const showConnection = () => {
  status.connection(sync.status);
  page?.connectionChanged();
};
sync.on('status', showConnection);
window.addEventListener('online', showConnection);
window.addEventListener('offline', showConnection);
sync.on('online', (n) => status.online(n));
sync.on('outdated', () => status.toast('A newer version of this page is out: reload to get it.', 10_000));
let cacheDirty = false;
sync.on('board', () => {
  // The board grew (during the event, or since the cached copy was saved): the page grows with it.
  if (page && (page.width !== sync.width || page.height !== sync.height)) {
    page.resize(sync.width, sync.height);
    community?.resize(sync.width, sync.height);
  }
  pageOfSize(sync.width, sync.height).showBoard(sync.board!, 'live');
  cacheDirty = true;
  void saveBoard();
});
sync.on('pixel', (_seq, x, y, color) => page?.pixel(x, y, color));
// Paused, ended or not yet open: a banner (the socket says so at once when an admin changes it).
showBoardStatus(sync);
sync.on('applied', () => { cacheDirty = true; });
sync.start();

// --- the cached board, a stand-in until the live one arrives ----------------------------------
void readCachedBoard().then((cached) => {
  if (cached && !sync.board) pageOfSize(cached.width, cached.height).showBoard(cached.bytes, 'cached');
});

async function saveBoard(): Promise<void> {
  if (!cacheDirty || !sync.board) return;
  cacheDirty = false;
  try {
    await saveCachedBoard({ bytes: sync.board, width: sync.width, height: sync.height, seq: sync.seq, epoch: sync.epoch, savedAt: Date.now() });
  } catch {
    // Storage full or refused: the next visit waits for the network, as a first one does.
  }
}
setInterval(() => { void saveBoard(); }, CACHE_SAVE_MS);
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') void saveBoard(); });
window.addEventListener('pagehide', () => { void saveBoard(); });

// --- a returning visitor's session ---------------------------------------------------------------
// Back from signing in (the callback set the session cookie): this browser has a session now.
if (location.hash === '#signed-in') {
  session.signedIn();
  history.replaceState(null, '', location.pathname + location.search);
}
session.onSolving = () => status.announce('Checking you are not a bot…');
if (!session.known) {
  status.toast('Tap or click a pixel to select it, pick a colour, then press Place. Keys: arrows move, 1–9 and 0 pick colours, Enter places.', 8000);
}
session.restore().then((me) => {
  if (me && page) page.sessionReady(me);
  void showAccount(session, me);
}, (err: unknown) => {
  status.toast(err instanceof SessionError ? err.message : 'Could not read your session: you can watch, and placing will try again.', 8000);
});
