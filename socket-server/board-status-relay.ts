// The board's state and cooldown as this server's clients hear it: read at start, then from the
// feed the moment an admin changes it (one message built for all), read again after a restore or
// a feed interruption (a change may have been missed), and sent to each client after its hello.
import type { BoardStatus } from '../core/domain/moderation.ts';
import { encodeServerMessage } from '../core/protocol/messages.ts';
import { reportFailure } from '../core/observability/telemetry.ts';
import { textFrame } from './framed-send.ts';

export class BoardStatusRelay {
  private status: BoardStatus | null = null;
  /** The `board` message, encoded once per change. */
  private message: string | null = null;

  constructor(private readonly read: () => Promise<BoardStatus>, private readonly broadcast: (frame: Buffer) => void) {}

  /** The cooldown in force, once known. */
  get cooldownMs(): number | null {
    return this.status?.cooldownMs ?? null;
  }

  /** What a new client gets right after hello (null until the state is known). */
  get helloMessage(): string | null {
    return this.message;
  }

  async load(): Promise<void> {
    this.set(await this.read());
  }

  changed(status: BoardStatus): void {
    this.set(status);
    this.broadcast(textFrame(this.message!));
  }

  async refresh(): Promise<void> {
    try {
      const status = await this.read();
      if (JSON.stringify(status) !== JSON.stringify(this.status)) this.changed(status);
    } catch (err) {
      reportFailure('board-status', err);
    }
  }

  private set(status: BoardStatus): void {
    this.status = status;
    this.message = encodeServerMessage({ type: 'board', ...status });
  }
}
