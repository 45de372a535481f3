// What the page tells people: the connection pill, how many are online, a toast for things
// that went wrong (role=alert), and a polite live region for screen readers (placement
// results, the cooldown's end, where the keyboard selection is).
import type { SyncStatus } from './sync/board-sync.ts';
import { $ } from './dom.ts';

const STATUS_TEXT: Record<SyncStatus, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' };

export class StatusView {
  private readonly pill = $('status');
  private readonly toastEl = $('toast');
  private readonly announcer = $('announcer');
  private toastTimer: ReturnType<typeof setTimeout> | undefined;

  connection(status: SyncStatus): void {
    // The browser knowing it has no network at all beats waiting for the socket to notice.
    const s = navigator.onLine ? status : 'offline';
    this.pill.dataset.status = s;
    this.pill.textContent = STATUS_TEXT[s];
  }

  online(count: number): void {
    $('online').textContent = `${count} online`;
  }

  toast(text: string, ms = 3500): void {
    this.toastEl.textContent = text;
    this.toastEl.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { this.toastEl.hidden = true; }, ms);
  }

  /** Said by screen readers when they are idle; shown to nobody. */
  announce(text: string): void {
    // A repeated message is not announced again unless the text changes: alternate a no-break space.
    this.announcer.textContent = this.announcer.textContent === text ? `${text}\u00a0` : text;
  }
}
