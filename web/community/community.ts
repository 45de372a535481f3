// The page's community features (issue 12), kept apart from the board page's own code: main.ts
// calls attachCommunity() once the board's size is known, and tells it about each pixel placed.
// Templates open by link (?template=<id> or #template=<id>); history, heatmap and "my pixels"
// are in a panel that folds away.
import type { BoardSync } from '../sync/board-sync.ts';
import { BoardLayers } from './layers.ts';
import { openTemplate } from './template-panel.ts';
import { attachHistory } from './history-view.ts';

export interface CommunityDeps {
  width: number;
  height: number;
  palette: readonly string[];
  /** Null until this browser has a session (viewing needs none). */
  userId(): string | null;
  sync: BoardSync;
  board: HTMLCanvasElement;
  toast(text: string, ms?: number): void;
}

export interface Community {
  /** A pixel this user placed (for "my pixels"). */
  placed(x: number, y: number, color: number): void;
  /** The board grew during the event: the layers grow with it. */
  resize(width: number, height: number): void;
}

/** The template id a link names, moved from #template= into ?template= so the hash stays the view's. */
export function templateFromLink(): string | null {
  const fromHash = /(?:^#|&)template=([A-Za-z0-9_-]{11})\b/.exec(location.hash)?.[1] ?? null;
  const url = new URL(location.href);
  if (fromHash) {
    url.searchParams.set('template', fromHash);
    url.hash = '';
    history.replaceState(null, '', url);
  }
  const id = url.searchParams.get('template');
  return id && /^[A-Za-z0-9_-]{11}$/.test(id) ? id : null;
}

export function attachCommunity(d: CommunityDeps): Community {
  const layers = new BoardLayers(d.board, d.width, d.height);
  // Folded (one button) until opened, or until a template link opens it: it never covers the board unasked.
  const panel = Object.assign(document.createElement('aside'), { id: 'community', className: 'community folded' });
  const fold = Object.assign(document.createElement('button'), { id: 'community-fold', className: 'icon community-fold', textContent: '☰', ariaLabel: 'Templates and history' });
  fold.addEventListener('click', () => panel.classList.toggle('folded'));
  panel.append(fold);
  document.body.append(panel);
  // The view lives in the hash (#x,y,zoom): setting it is how anything moves the view.
  const jumpTo = (x: number, y: number) => { location.hash = `#${x + 0.5},${y + 0.5},16`; };
  const history = attachHistory({ layers, panel, width: d.width, height: d.height, userId: d.userId });
  const id = templateFromLink();
  if (id) {
    panel.classList.remove('folded');
    openTemplate({ id, layers, sync: d.sync, panel, palette: d.palette, toast: d.toast, jumpTo })
      .catch(() => d.toast('The template could not be loaded.', 6000));
  }
  return {
    placed: (x, y) => history.placed(x, y),
    resize: (width, height) => {
      layers.resize(width, height);
      history.resize(width, height);
    },
  };
}
