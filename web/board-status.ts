// The board's state on the page: a banner while the board is paused or ended (with the admins'
// message), or a countdown until it opens. From the socket's `board` message, sent right after
// hello and the moment an admin changes it (no extra request at load).
import type { BoardSync } from './sync/board-sync.ts';
import type { BoardStatusMessage } from '../core/protocol/messages.ts';
import { formatCountdown } from './countdown.ts';

export type BoardStatusView = Omit<BoardStatusMessage, 'type'>;

const OPEN: BoardStatusView = { state: 'live', message: null, opensAt: null, cooldownMs: 0 };

export function showBoardStatus(sync: BoardSync): { current(): BoardStatusView } {
  const banner = document.createElement('div');
  banner.id = 'board-status';
  banner.className = 'board-status';
  banner.setAttribute('role', 'status');
  banner.setAttribute('aria-live', 'polite');
  document.body.append(banner);
  let status = OPEN;
  let timer: ReturnType<typeof setInterval> | undefined;
  const render = () => {
    const waiting = status.state === 'live' && status.opensAt !== null && status.opensAt > Date.now();
    banner.hidden = status.state === 'live' && !waiting;
    banner.dataset.state = waiting ? 'scheduled' : status.state;
    const headline = status.state === 'ended' ? 'The event has ended.'
      : status.state === 'paused' ? 'The board is paused.'
        : waiting ? `The board opens in ${formatCountdown(status.opensAt! - Date.now())}.` : '';
    banner.textContent = status.message ? `${headline} ${status.message}` : headline;
    if (!waiting && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  const update = (next: BoardStatusView) => {
    status = next;
    if (status.opensAt !== null && !timer) timer = setInterval(render, 1000);
    render();
  };
  sync.on('boardStatus', ({ state, message, opensAt, cooldownMs }) => update({ state, message, opensAt, cooldownMs }));
  update(OPEN);
  return { current: () => status };
}
