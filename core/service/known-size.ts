// The board's size as this process last saw it. Boards only grow, so a size seen earlier is
// never too big: a coordinate inside it is inside the live board. Only a coordinate outside it
// costs a fresh read (the board may have grown since), which bad input pays, not good input.
import type { BoardReader } from '../board-store/board-store.ts';
import type { BoardSize } from '../domain/board-codec.ts';

export class KnownSize {
  private current: BoardSize;

  constructor(initial: BoardSize, private readonly store: Pick<BoardReader, 'head'>) {
    this.current = { width: initial.width, height: initial.height };
  }

  get value(): BoardSize {
    return this.current;
  }

  /** Takes a size seen elsewhere (a head, a snapshot, a refused write). */
  saw(size: BoardSize): void {
    if (size.width > this.current.width || size.height > this.current.height) {
      this.current = { width: Math.max(size.width, this.current.width), height: Math.max(size.height, this.current.height) };
    }
  }

  /** Reads the live size. */
  async refresh(): Promise<BoardSize> {
    const head = await this.store.head();
    if (head) this.saw(head);
    return this.current;
  }
}
