// The admin page's board: drawn from /api/board (again every few seconds, at the size the board
// has then: it may grow during an event), with a rectangle dragged by mouse (the selection) and a
// click (a pixel to inspect).
import { colorAt } from '../../core/domain/board-codec.ts';
import { PALETTE_RGB } from '../../core/domain/palette.ts';
import type { Rect } from './admin-api.ts';
import { BoardHttp } from '../sync/board-http.ts';

export class AdminBoard {
  scale = 1;
  width = 0;
  height = 0;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly http = new BoardHttp('', (input, init) => fetch(input, init));
  private etag: string | null = null;
  private shown: Rect | null = null;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly selection: HTMLElement, width: number, height: number,
    private readonly onSelect: (r: Rect) => void, private readonly onPixel: (x: number, y: number) => void) {
    this.ctx = canvas.getContext('2d')!;
    this.setSize(width, height);
    this.attach();
  }

  /** Draws the board as it is now; it may have grown since the last time (`npm run board -- resize`). */
  async load(): Promise<void> {
    const board = await this.http.board(0, this.etag);
    if (!board) return; // 304: unchanged
    this.etag = board.etag;
    // A copy that does not state its size (0) is drawn at the size we have.
    if (board.width > 0 && board.height > 0 && (board.width !== this.width || board.height !== this.height)) this.setSize(board.width, board.height);
    const image = this.ctx.createImageData(this.width, this.height);
    for (let i = 0, o = 0; i < this.width * this.height; i++, o += 4) {
      const c = colorAt(board.bytes, i) * 3;
      image.data[o] = PALETTE_RGB[c]!;
      image.data[o + 1] = PALETTE_RGB[c + 1]!;
      image.data[o + 2] = PALETTE_RGB[c + 2]!;
      image.data[o + 3] = 255;
    }
    this.ctx.putImageData(image, 0, 0);
  }

  private setSize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.scale = Math.max(1, Math.floor(Math.min(640 / width, 640 / height)));
    this.canvas.width = width;
    this.canvas.height = height;
    this.canvas.style.width = `${width * this.scale}px`;
    this.canvas.style.height = `${height * this.scale}px`;
    if (this.shown) this.show(this.shown);
  }

  private at(e: MouseEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: Math.min(this.width - 1, Math.max(0, Math.floor((e.clientX - r.left) / this.scale))),
      y: Math.min(this.height - 1, Math.max(0, Math.floor((e.clientY - r.top) / this.scale))),
    };
  }

  show(r: Rect): void {
    this.shown = r;
    Object.assign(this.selection.style, {
      left: `${r.x0 * this.scale}px`, top: `${r.y0 * this.scale}px`, width: `${(r.x1 - r.x0 + 1) * this.scale}px`, height: `${(r.y1 - r.y0 + 1) * this.scale}px`,
    });
    this.selection.hidden = false;
  }

  private attach(): void {
    let start: { x: number; y: number } | null = null;
    let moved = false;
    const rect = (a: { x: number; y: number }, b: { x: number; y: number }): Rect =>
      ({ x0: Math.min(a.x, b.x), y0: Math.min(a.y, b.y), x1: Math.max(a.x, b.x), y1: Math.max(a.y, b.y) });
    this.canvas.addEventListener('mousedown', (e) => {
      start = this.at(e);
      moved = false;
    });
    window.addEventListener('mousemove', (e) => {
      if (!start) return;
      const p = this.at(e);
      if (p.x !== start.x || p.y !== start.y) moved = true;
      if (moved) this.show(rect(start, p));
    });
    window.addEventListener('mouseup', (e) => {
      if (!start) return;
      const p = this.at(e);
      if (moved) this.onSelect(rect(start, p));
      else this.onPixel(p.x, p.y);
      start = null;
    });
  }
}
