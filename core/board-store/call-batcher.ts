// Gathers calls that arrive close together into one batch for a store that answers a batch in
// one round trip (the Redis write script): a call waits at most `lingerMs` for others, and a
// full batch goes at once. Each caller gets its own answer, or the batch's error.

export interface CallBatcherOptions {
  /** How long the first call of a batch waits for others; 0: only calls made in the same turn of the event loop. */
  lingerMs: number;
  /** Most calls in one batch. */
  max: number;
}

interface Waiting<In, Out> {
  input: In;
  resolve(output: Out): void;
  reject(err: unknown): void;
}

export class CallBatcher<In, Out> {
  private queue: Waiting<In, Out>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  /** `send` answers a batch with one output per input, in order. */
  constructor(private readonly options: CallBatcherOptions, private readonly send: (inputs: In[]) => Promise<Out[]>) {}

  call(input: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.queue.length >= this.options.max) this.flush();
      else if (this.queue.length === 1) {
        if (this.options.lingerMs > 0) this.timer = setTimeout(() => this.flush(), this.options.lingerMs);
        else this.immediate = setImmediate(() => this.flush());
      }
    });
  }

  /** Sends what is waiting now, and resolves when every batch sent so far has its answer. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all(this.inFlight);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const sent = this.answer(batch);
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
  }

  private async answer(batch: Waiting<In, Out>[]): Promise<void> {
    try {
      const outputs = await this.send(batch.map((w) => w.input));
      batch.forEach((w, i) => w.resolve(outputs[i]!));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
