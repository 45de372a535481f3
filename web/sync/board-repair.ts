// What a sync client fetches over HTTP to put its copy right, one thing at a time (BoardSync
// runs these one at a time): the board, the updates it missed (segments, then `since`), the
// tiles a digest says differ, and the rare whole-board comparison.
import { PIXEL_RECORD_BYTES } from '../../core/protocol/pixel-batch.ts';
import { tileColumns } from '../../core/protocol/board-digest.ts';
import type { BoardHttp } from './board-http.ts';
import type { BoardReplica, PixelVisitor } from './board-replica.ts';
import type { SyncStats } from './board-sync.ts';

export interface RepairEvents {
  pixel: PixelVisitor;
  /** Pixels changed other than one by one (a load, a repair): redraw. */
  board(): void;
  applied(seq: number): void;
}

export class BoardRepair {
  /** Seqs per update segment, from the hello (0: the server offers none; use ?since=). */
  segmentSize = 0;
  /** The highest seq a repair was asked to reach (a failed one is retried up to it). */
  wantedSeq = 0;
  private lastEtag: string | null = null;

  constructor(
    private readonly replica: BoardReplica,
    private readonly http: BoardHttp,
    private readonly stats: SyncStats,
    private readonly events: RepairEvents,
  ) {}

  /** Fetches the tiles that differ and takes the pixels that differ from them. Returns pixels repaired. */
  async repairTiles(tiles: number[]): Promise<number> {
    let repaired = 0;
    const columns = tileColumns(this.replica);
    for (const index of tiles) {
      const tile = await this.http.tile(index % columns, Math.floor(index / columns));
      if (tile.epoch !== this.replica.epoch) {
        if (tile.epoch > this.replica.epoch) await this.reload(tile.epoch);
        return repaired;
      }
      if (tile.seq > this.replica.seq) await this.repairFrom(tile.seq);
      repaired += this.replica.reconcileTile(tile, tile.bytes, tile.seq) ?? 0;
    }
    if (repaired > 0) {
      this.stats.mismatchedPixels += repaired;
      this.events.board();
    }
    return repaired;
  }

  /** Loads the board (not a copy of an epoch older than `minEpoch`). */
  async loadBoard(minEpoch = 0, hello?: { width: number; height: number }): Promise<void> {
    const b = (await this.http.board(minEpoch))!;
    this.replica.load({
      bytes: b.bytes, seq: b.seq, epoch: b.epoch,
      width: b.width || hello?.width || this.replica.width,
      height: b.height || hello?.height || this.replica.height,
    });
    this.lastEtag = b.etag;
    this.stats.boardLoads++;
    this.events.board();
  }

  /** Starts over from the server's board; frames held until now belong to the old one. */
  async reload(minEpoch = this.replica.epoch): Promise<void> {
    this.replica.clearBuffered();
    await this.loadBoard(minEpoch);
  }

  /**
   * Fetches the updates after our seq until it reaches `target`: full segments (which a CDN
   * answers), then `?since=` for whatever the open segment's cached copy does not have yet. A
   * client so far behind that the updates would outweigh the board loads the board instead, as
   * it does on 410 (another epoch, or older than the server keeps).
   */
  async repairFrom(target: number): Promise<void> {
    this.wantedSeq = Math.max(this.wantedSeq, target);
    if (target <= this.replica.seq) return;
    this.stats.repairs++;
    const board = this.replica.board;
    if (board && (target - this.replica.seq) * PIXEL_RECORD_BYTES > board.length) return this.reload();
    const segment = this.segmentSize;
    let useSince = segment === 0;
    for (;;) {
      const before = this.replica.seq;
      const got = useSince ? await this.http.since(before, this.replica.epoch) : await this.http.segment(this.replica.epoch, Math.floor(before / segment));
      if (got.status === 'gone') return this.reload();
      if (got.batch.count > 0 && this.replica.applyBatch(got.batch, this.events.pixel) > 0) {
        this.stats.framesApplied++;
        this.events.applied(this.replica.seq);
      }
      if (this.replica.seq >= target) return;
      if (this.replica.seq === before) {
        // The open segment's cached copy ends before `target`: the rest is too new for a cache.
        if (useSince) return;
        useSince = true;
      }
    }
  }

  async compareWithServer(): Promise<number> {
    if (!this.replica.board) return 0;
    this.stats.checks++;
    const fetched = await this.http.board(0, this.lastEtag);
    if (!fetched) return 0;
    if (fetched.epoch !== this.replica.epoch) {
      // A newer epoch: the board was restored and we missed it. An older one: a stale copy.
      if (fetched.epoch > this.replica.epoch) await this.reload(fetched.epoch);
      return 0;
    }
    this.lastEtag = fetched.etag;
    if (fetched.seq > this.replica.seq) await this.repairFrom(fetched.seq);
    const differing = this.replica.reconcile(fetched.bytes, fetched.seq) ?? 0;
    if (differing > 0) {
      this.stats.mismatchedPixels += differing;
      this.events.board();
    }
    return differing;
  }
}
