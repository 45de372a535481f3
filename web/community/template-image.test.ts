import { describe, expect, it } from 'vitest';
import { createBoard, setColorAt } from '../../core/domain/board-codec.ts';
import { NO_PIXEL, wrongPixels, type TemplateInfo } from './template-image.ts';

describe('the page\'s template comparison', () => {
  it('lists the template\'s wrong pixels in board coordinates, skipping transparent ones, up to a limit', () => {
    const t = { x: 2, y: 1, width: 2, height: 2 } as TemplateInfo;
    const target = Uint8Array.from([5, NO_PIXEL, 5, 13]);
    const board = createBoard({ width: 5, height: 4 });
    setColorAt(board, 1 * 5 + 2, 5); // (2, 1) right
    expect(wrongPixels(t, target, board, 5, 10)).toEqual([{ x: 2, y: 2, want: 5 }, { x: 3, y: 2, want: 13 }]);
    expect(wrongPixels(t, target, board, 5, 1)).toHaveLength(1);
  });
});
