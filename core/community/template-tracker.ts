// Keeps every template's progress current from the update feed. One tracker at a time holds
// the lease (the socket servers and the local runner each run one; the others wait): it keeps a
// copy of the board and an index from each board pixel to the template pixels on it, reads the
// store's updates in seq order every tick, and per update touches only the templates on that
// pixel: O(1) per placement, never a rescan of the board. Counter changes, grief counts and the
// cursor are committed together, fenced by the lease. A new leader, a restore (new epoch) or a
// feed it fell behind recounts everything once from a fresh board snapshot. Followers wait out
// the holder's lease, or hear when it lets go (LeaseKeeper).
import { colorAt, setColorAt, type BoardSize } from '../domain/board-codec.ts';
import type { BoardReader, Leases } from '../board-store/board-store.ts';
import { LeaseKeeper } from '../board-store/lease-keeper.ts';
import { decodePixelBatch, forEachPixel, type PixelBatch } from '../protocol/pixel-batch.ts';
import { log, reportFailure } from '../observability/telemetry.ts';
import type { Config } from '../config.ts';
import {
  GRIEF_PIXELS_REPORTED, NO_PIXEL, type GriefEvent, type TemplateEvents, type TemplateProgressStore, type TrackedTemplate, type TrackerLease,
} from './community-store.ts';

export interface TrackerOptions {
  tickMs: number;
  leaseMs: number;
  /** Updates read per store call. */
  pageSize: number;
}

/** Board pixel → the template pixels on it, as linked lists in typed arrays (no object per pixel). */
class PixelIndex {
  readonly heads: Int32Array;
  private slot = new Int32Array(1024);
  private target = new Uint8Array(1024);
  private next = new Int32Array(1024);
  private used = 0;

  constructor(pixels: number) {
    this.heads = new Int32Array(pixels).fill(-1);
  }

  add(boardIndex: number, templateSlot: number, color: number): void {
    if (this.used === this.slot.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.slot = grow(this.slot);
      this.target = grow(this.target);
      this.next = grow(this.next);
    }
    const e = this.used++;
    this.slot[e] = templateSlot;
    this.target[e] = color;
    this.next[e] = this.heads[boardIndex]!;
    this.heads[boardIndex] = e;
  }

  /** Visits the (template slot, target colour) pairs on a board pixel. */
  forEach(boardIndex: number, visit: (slot: number, target: number) => void): void {
    for (let e = this.heads[boardIndex]!; e >= 0; e = this.next[e]!) visit(this.slot[e]!, this.target[e]!);
  }
}

interface Leading {
  lease: TrackerLease;
  board: Uint8Array;
  seq: number;
  epoch: number;
  /** The board's size at the recount (it may grow during an event: then the tracker recounts). */
  size: BoardSize;
  version: number;
  ids: string[];
  known: Set<string>;
  index: PixelIndex;
}

export class TemplateTracker {
  /** `incremental`: updates applied since the last recount (what a test of the incremental path checks). */
  readonly stats = { recounts: 0, updates: 0, incremental: 0, commits: 0, griefs: 0 };
  private state: Leading | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  readonly lease: LeaseKeeper<TrackerLease>;
  private unlisten: (() => void) | null = null;
  private ticking: Promise<void> | null = null;

  /** `board` also tells when a tracker elsewhere lets go of the lease (the store's lease notices). */
  constructor(
    private readonly board: Pick<BoardReader, 'snapshot' | 'head' | 'updatesSince'> & Pick<Leases, 'onLeaseReleased'>,
    private readonly progress: TemplateProgressStore & Pick<TemplateEvents, 'publishGriefs'>,
    private readonly options: TrackerOptions,
  ) {
    this.lease = new LeaseKeeper((ttl) => progress.tryLease(ttl), { leaseMs: options.leaseMs, jitterMs: options.tickMs });
    this.listen();
  }

  private listen(): void {
    this.unlisten ??= this.board.onLeaseReleased((name) => { if (name === 'templates') this.lease.released(); });
  }

  get leading(): boolean {
    return this.state !== null;
  }

  start(): void {
    this.stopped = false;
    this.lease.resume();
    this.listen();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.unlisten?.();
    this.unlisten = null;
    await this.ticking; // a tick under way finishes before the lease goes
    this.state = null;
    await this.lease.release().catch((err: unknown) => reportFailure('template-lease-release', err));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.ticking = this.tick().catch((err: unknown) => reportFailure('template-tracker', err)).finally(() => {
        this.ticking = null;
        this.schedule(Math.max(this.options.tickMs - (Date.now() - started), 1));
      });
    }, delayMs);
    this.timer.unref?.();
  }

  /** One tick: take or keep the lease, pick up new templates, apply the updates since the cursor. */
  async tick(now = Date.now()): Promise<void> {
    const turn = await this.lease.hold(now);
    if (turn.lost) this.lost();
    if (!turn.lease) return;
    if (!this.state) {
      if (turn.gained) log.info('this process now tracks template progress');
      if (!(await this.recount(turn.lease, now))) return;
    }
    const s = this.state!;
    const head = await this.board.head();
    if (!head) return;
    if (head.epoch !== s.epoch || head.width !== s.size.width || head.height !== s.size.height) {
      await this.recount(s.lease, now); // the board was restored, or grew (board indexes moved)
      return;
    }
    const added = await this.addNewTemplates(s);
    for (;;) {
      const updates = await this.board.updatesSince(s.seq, this.options.pageSize);
      if (updates.status === 'gone') {
        await this.recount(s.lease, now); // fell behind the kept window, or the seq moved back
        return;
      }
      const batch = decodePixelBatch(updates.batch);
      if (batch.count === 0 && added.size === 0) return;
      const { add, griefs, events } = this.apply(s, batch);
      const cursor = { seq: s.seq, epoch: s.epoch };
      if (!(await this.progress.commit(s.lease, { set: added, add, griefs, cursor, at: now }))) return this.lost();
      this.stats.commits++;
      added.clear();
      if (events.length) await this.progress.publishGriefs(events);
      if (batch.count < this.options.pageSize) return;
    }
  }

  private lost(): void {
    this.state = null;
    this.lease.lost();
    log.warn('the template tracker lease was lost; another process tracks now');
  }

  /** Starts over from a board snapshot: every template counted afresh. */
  private async recount(lease: TrackerLease, now: number): Promise<boolean> {
    const version = await this.progress.version();
    const templates = await this.progress.tracked();
    const snap = await this.board.snapshot();
    if (!snap) return false;
    const s: Leading = {
      lease, board: Uint8Array.from(snap.bytes), seq: snap.seq, epoch: snap.epoch, version,
      size: { width: snap.width, height: snap.height }, ids: [], known: new Set(), index: new PixelIndex(snap.width * snap.height),
    };
    const counts = new Map<string, number>();
    for (const t of templates) counts.set(t.id, this.addTemplate(s, t));
    if (!(await this.progress.commit(lease, { set: counts, replaceAll: true, cursor: { seq: s.seq, epoch: s.epoch }, at: now }))) {
      this.lost();
      return false;
    }
    this.state = s;
    this.stats.recounts++;
    this.stats.incremental = 0;
    log.info('template progress recounted', { templates: templates.length, seq: s.seq });
    return true;
  }

  private async addNewTemplates(s: Leading): Promise<Map<string, number>> {
    const added = new Map<string, number>();
    const version = await this.progress.version();
    if (version === s.version) return added;
    s.version = version;
    // Only the new ones are fetched (targets are up to a few hundred KB each).
    const unknown = (await this.progress.ids()).filter((id) => !s.known.has(id));
    for (const t of await this.progress.tracked(unknown)) added.set(t.id, this.addTemplate(s, t));
    return added;
  }

  /** Indexes a template's pixels and returns how many are correct on the tracker's board. */
  private addTemplate(s: Leading, t: TrackedTemplate): number {
    const { width, height } = s.size;
    const slot = s.ids.length;
    s.ids.push(t.id);
    s.known.add(t.id);
    let correct = 0;
    for (let ty = 0; ty < t.height; ty++) {
      const by = t.y + ty;
      if (by < 0 || by >= height) continue;
      for (let tx = 0; tx < t.width; tx++) {
        const bx = t.x + tx;
        const color = t.target[ty * t.width + tx]!;
        if (color === NO_PIXEL || bx < 0 || bx >= width) continue;
        const i = by * width + bx;
        s.index.add(i, slot, color);
        if (colorAt(s.board, i) === color) correct++;
      }
    }
    return correct;
  }

  private apply(s: Leading, batch: PixelBatch) {
    const { width, height } = s.size;
    const add = new Map<string, number>();
    const griefs = new Map<string, number>();
    const pixels = new Map<string, [number, number][]>();
    forEachPixel(batch, (seq, x, y, color) => {
      if (seq <= s.seq) return;
      // Past the size counted at: the board grew and the next tick recounts at the new size.
      if (x >= width || y >= height) {
        s.seq = seq;
        return;
      }
      const i = y * width + x;
      const old = colorAt(s.board, i);
      s.seq = seq;
      this.stats.updates++;
      this.stats.incremental++;
      if (old === color) return;
      setColorAt(s.board, i, color);
      s.index.forEach(i, (slot, target) => {
        if (old === target) {
          const id = s.ids[slot]!;
          add.set(id, (add.get(id) ?? 0) - 1);
          griefs.set(id, (griefs.get(id) ?? 0) + 1);
          const list = pixels.get(id) ?? [];
          if (list.length < GRIEF_PIXELS_REPORTED) list.push([x, y]);
          pixels.set(id, list);
        } else if (color === target) {
          const id = s.ids[slot]!;
          add.set(id, (add.get(id) ?? 0) + 1);
        }
      });
    });
    const events: GriefEvent[] = [...griefs].map(([template, count]) => ({ template, count, pixels: pixels.get(template)!, seq: s.seq }));
    this.stats.griefs += events.reduce((n, e) => n + e.count, 0);
    return { add, griefs, events };
  }
}

/** Starts a tracker with the settings (the socket servers and the local runner each run one). */
export function startTemplateTracker(
  config: Pick<Config, 'community' | 'socket'>, board: Pick<BoardReader, 'snapshot' | 'head' | 'updatesSince'> & Pick<Leases, 'onLeaseReleased'>,
  progress: TemplateProgressStore & Pick<TemplateEvents, 'publishGriefs'>,
): TemplateTracker {
  const tracker = new TemplateTracker(board, progress, {
    tickMs: config.community.templateTickMs, leaseMs: Math.max(config.socket.relayLeaseMs, 3 * config.community.templateTickMs), pageSize: config.socket.repairPageSize,
  });
  tracker.start();
  return tracker;
}
