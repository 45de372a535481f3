// When the broadcast ticks run. A tick that sends a frame starts the next one tickMs after it
// started, so clients get at most one frame per tickMs; when writing a frame to every client
// outlasts tickMs (many clients on a busy machine), ticks run back to back, yielding to the
// event loop in between so pings, upgrades and the feed still run. Updates that arrive after
// a tick that had nothing to send go out as soon as tickMs has passed since the last frame,
// not a whole tickMs after that empty tick: with the relay, a batch arrives once per relay
// tick, and waiting for the next fixed tick would add up to tickMs of latency and leave the
// server idle between frames.

export class TickClock {
  private timer: NodeJS.Timeout | null = null;
  /** When the pending timer fires (performance.now() time). */
  private dueAt = Number.POSITIVE_INFINITY;
  private lastFrameAt = Number.NEGATIVE_INFINITY;
  private stopped = true;

  /**
   * `tick` sends what is ready and says whether it sent a frame; `onTick` gets each tick's
   * duration in seconds (the tick histogram).
   */
  constructor(private readonly tickMs: number, private readonly tick: () => boolean, private readonly onTick: (seconds: number) => void = () => {}) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.tickMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Updates arrived: bring the next tick forward to the earliest moment a frame may go. */
  wake(now = performance.now()): void {
    if (this.stopped) return;
    const earliest = Math.max(this.lastFrameAt + this.tickMs, now);
    if (earliest < this.dueAt - 1) this.schedule(earliest - now);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = performance.now() + delayMs;
    this.timer = setTimeout(() => this.run(), delayMs);
  }

  private run(): void {
    this.timer = null;
    this.dueAt = Number.POSITIVE_INFINITY;
    const started = performance.now();
    const sent = this.tick();
    const spent = performance.now() - started;
    if (sent) this.lastFrameAt = started;
    this.onTick(spent / 1000);
    if (!this.stopped) this.schedule(Math.max(this.tickMs - spent, 1));
  }
}
