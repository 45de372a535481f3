// The board and everything on it, built once the board's size is known (from a cached board
// or the first one fetched): canvas, view, overlay, minimap, selection, palette, pixel card,
// cooldown, the Place button, pointer and keyboard.
import { colorAt, pixelIndex } from '../core/domain/board-codec.ts';
import { PALETTE, PALETTE_NAMES } from '../core/domain/palette.ts';
import type { BoardSync } from './sync/board-sync.ts';
import { BoardCanvas } from './board-canvas.ts';
import { CooldownTimer, formatRemaining } from './cooldown-timer.ts';
import { $ } from './dom.ts';
import { InfoPanel } from './info-panel.ts';
import { attachKeyboard } from './keyboard.ts';
import { Minimap } from './minimap.ts';
import { NotifyToggle } from './notify.ts';
import { Overlay } from './overlay.ts';
import { PaletteView } from './palette.ts';
import { Placer } from './placing.ts';
import { attachPointerControls } from './pointer-controls.ts';
import { Selection, type Pixel } from './selection.ts';
import type { Me, Session } from './session.ts';
import type { StatusView } from './status.ts';
import { MIN_SELECT_ZOOM, parseHash } from './view-state.ts';
import { ViewportController } from './viewport.ts';

/** A second click on the selected pixel places it, but not a double click: that is one decision. */
const CONFIRM_AFTER_MS = 400;
const TITLE = document.title;

export interface BoardPageDeps {
  sync: BoardSync;
  session: Session;
  status: StatusView;
  width: number;
  height: number;
  /** A pixel of this user's was accepted. */
  onPlaced?(x: number, y: number, color: number): void;
}

export class BoardPage {
  width: number;
  height: number;
  private readonly boardEl = $<HTMLCanvasElement>('board');
  private readonly viewportEl = $('viewport');
  private readonly placeButton = $<HTMLButtonElement>('place');
  private readonly cooldownEl = $('cooldown');
  private readonly canvas: BoardCanvas;
  private readonly vp: ViewportController;
  private readonly overlay: Overlay;
  private readonly selection: Selection;
  private readonly palette: PaletteView;
  private readonly info: InfoPanel;
  private readonly timer: CooldownTimer;
  private readonly placer: Placer;
  /** What the canvas shows once its next frame is drawn: the cached board, then the live one. */
  private revealing: 'cached' | 'live' | null = null;

  constructor(private readonly d: BoardPageDeps) {
    const { sync, session, status, width, height } = d;
    this.width = width;
    this.height = height;
    this.canvas = new BoardCanvas(this.boardEl, width, height);
    this.vp = new ViewportController(this.viewportEl, width, height, this.canvas);
    this.overlay = new Overlay($<HTMLCanvasElement>('overlay'), this.vp);
    const minimap = new Minimap($<HTMLCanvasElement>('minimap'), this.boardEl, this.vp);
    this.canvas.onFlush = () => {
      minimap.boardChanged();
      if (this.revealing) this.reveal(this.revealing);
    };

    this.selection = new Selection(this.vp);
    this.palette = new PaletteView($('palette'), () => this.refreshPlaceButton());
    this.info = new InfoPanel({
      width, height, board: () => sync.board, myUserId: () => session.me?.userId ?? null, zoom: () => this.vp.view.zoom,
      close: () => this.selection.cancel(), toast: (t) => status.toast(t), ensureSession: () => session.ensure(),
    });
    this.selection.onChange((p, how) => this.selected(p, how));

    const notify = new NotifyToggle();
    this.timer = new CooldownTimer((left) => {
      this.cooldownEl.textContent = left > 0 ? formatRemaining(left) : 'Ready';
      this.cooldownEl.classList.toggle('waiting', left > 0);
      document.title = left > 0 ? `(${formatRemaining(left)}) ${TITLE}` : TITLE;
      this.refreshPlaceButton();
    }, () => {
      status.announce('Your next pixel is ready.');
      notify.ready();
    });
    this.placer = new Placer({
      sync, canvas: this.canvas, session, timer: this.timer, status, width, height, flashCooldown: () => this.flashCooldown(),
      onPlaced: d.onPlaced,
    });
    if (session.me) this.sessionReady(session.me);

    this.attachControls();
    const linked = parseHash(location.hash, width, height);
    // A shared link to a pixel (#x.5,y.5,zoom, as "Copy link" makes) selects it.
    if (linked && linked.x % 1 === 0.5 && linked.y % 1 === 0.5) this.selection.select({ x: Math.floor(linked.x), y: Math.floor(linked.y) }, 'link');
    this.refreshPlaceButton();
  }

  /** The board grew during the event (a resize message): same pixels, same view, more board. */
  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.canvas.resize(width, height);
    this.vp.resizeBoard(width, height);
    this.info.resize(width, height);
    this.placer.resize(width, height);
  }

  /** Draws a board: the cached one at once, the live one when it arrives (and after repairs). */
  showBoard(bytes: Uint8Array, source: 'cached' | 'live'): void {
    this.canvas.drawBoard(bytes);
    if (source === 'live') this.placer.reapplyPreviews();
    if (this.viewportEl.dataset.board !== 'live') this.revealing = source;
    this.info.changed(this.selection.pixel?.x ?? -1, this.selection.pixel?.y ?? -1);
  }

  pixel(x: number, y: number, color: number): void {
    this.placer.confirmed(x, y);
    this.canvas.setPixel(x, y, color);
    this.info.changed(x, y);
  }

  /** A returning visitor's session was read: their cooldown may still be running. */
  sessionReady(me: Me): void {
    if (me.nextAllowedAt > Date.now()) this.timer.startUntil(me.nextAllowedAt);
  }

  connectionChanged(): void {
    this.refreshPlaceButton();
  }

  private reveal(source: 'cached' | 'live'): void {
    this.revealing = null;
    this.boardEl.hidden = false;
    $('placeholder').hidden = true;
    this.viewportEl.dataset.board = source;
  }

  private attachControls(): void {
    const { vp, selection, overlay } = this;
    attachPointerControls(this.viewportEl, {
      getView: () => vp.view,
      setView: (v) => vp.set(v),
      zoomAt: (f, sx, sy) => vp.zoomAt(f, sx, sy),
      onTap: (sx, sy) => {
        const p = vp.pixelAt(sx, sy);
        if (!p) return;
        if (selection.is(p) && vp.view.zoom >= MIN_SELECT_ZOOM && performance.now() - selection.at > CONFIRM_AFTER_MS) this.placeSelected();
        else selection.select(p, 'pointer');
      },
      onHover: (sx, sy) => {
        const p = vp.pixelAt(sx, sy);
        $('hover').textContent = p ? `${p.x}, ${p.y}` : '';
        overlay.hover = p;
        overlay.request();
      },
      onLeave: () => {
        $('hover').textContent = '';
        overlay.hover = null;
        overlay.request();
      },
    });
    attachKeyboard({
      board: this.viewportEl, vp, selection, place: () => this.placeSelected(),
      pickColour: (c) => {
        this.palette.select(c);
        this.d.status.announce(`${PALETTE_NAMES[c]} chosen.`);
      },
    });
    $('zoom-in').addEventListener('click', () => vp.zoomCentre(1.5));
    $('zoom-out').addEventListener('click', () => vp.zoomCentre(1 / 1.5));
    $('zoom-fit').addEventListener('click', () => vp.fit());
    this.placeButton.addEventListener('click', () => this.placeSelected());
  }

  private selected(p: Pixel | null, how: 'pointer' | 'keyboard' | 'link'): void {
    this.overlay.selection = p;
    this.overlay.request();
    this.info.show(p);
    this.refreshPlaceButton();
    const board = this.d.sync.board;
    if (p && how === 'keyboard' && board) {
      this.d.status.announce(`${p.x}, ${p.y}: ${PALETTE_NAMES[colorAt(board, pixelIndex(this, p.x, p.y))]}.`);
    }
  }

  /** Place (the button, Enter, or a second click): says why not when it cannot. */
  private placeSelected(): void {
    const p = this.selection.pixel;
    const colour = this.palette.colour;
    if (!p) return this.d.status.toast('Select a pixel first: tap or click it on the board.');
    if (colour === null) return this.d.status.toast('Pick a colour first.');
    void this.placer.place(p.x, p.y, colour);
  }

  private refreshPlaceButton(): void {
    const colour = this.palette.colour;
    const ready = this.selection.pixel !== null && colour !== null && !this.timer.running && this.d.sync.status === 'live';
    this.placeButton.setAttribute('aria-disabled', String(!ready));
    this.placeButton.textContent = !this.selection.pixel ? 'Select a pixel' : colour === null ? 'Pick a colour' : 'Place';
    this.placeButton.style.setProperty('--place-colour', colour === null ? 'transparent' : PALETTE[colour]!);
  }

  private flashCooldown(): void {
    this.cooldownEl.classList.remove('flash');
    void this.cooldownEl.offsetWidth; // restart the animation
    this.cooldownEl.classList.add('flash');
  }
}
