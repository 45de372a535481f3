// The cooldown countdown: "Ready" or "m:ss", and a callback when it ends.
export function formatRemaining(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

export class CooldownTimer {
  private until = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly render: (remainingMs: number) => void, private readonly onReady: () => void) {}

  get running(): boolean {
    return this.until > Date.now();
  }

  remaining(): number {
    return Math.max(0, this.until - Date.now());
  }

  startUntil(at: number): void {
    this.until = at;
    if (this.timer) clearInterval(this.timer);
    this.tick();
    if (!this.running) return;
    this.timer = setInterval(() => this.tick(), 250);
  }

  private tick(): void {
    const left = this.remaining();
    this.render(left);
    if (left <= 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      this.onReady();
    }
  }
}
