// Layers drawn over the board (template, history, heatmap, my pixels): one container in board
// coordinates (1 CSS px = 1 board pixel) that follows the board canvas's pan/zoom transform, so
// nothing in the board code needs to know about them.
export class BoardLayers {
  readonly root: HTMLDivElement;

  constructor(board: HTMLCanvasElement, width: number, height: number) {
    this.root = document.createElement('div');
    this.root.className = 'board-layers';
    this.resize(width, height);
    board.after(this.root);
    const follow = () => { this.root.style.transform = board.style.transform; };
    new MutationObserver(follow).observe(board, { attributes: true, attributeFilter: ['style'] });
    follow();
  }

  /** The board grew during the event: layers sized to the board grow with it. */
  resize(width: number, height: number): void {
    Object.assign(this.root.style, { width: `${width}px`, height: `${height}px` });
  }

  /** A child element placed at board (x, y), w×h board pixels, drawn in the given stacking order. */
  add<T extends HTMLElement>(el: T, x: number, y: number, w: number, h: number, order: number): T {
    el.classList.add('board-layer');
    Object.assign(el.style, { left: `${x}px`, top: `${y}px`, width: `${w}px`, height: `${h}px`, zIndex: String(order) });
    this.root.append(el);
    return el;
  }
}
