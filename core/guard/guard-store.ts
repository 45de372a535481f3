// What the bot defence keeps between requests, shared by every Lambda container and socket
// server: used challenge solutions and login states (single use), placement credits a solved
// challenge buys, placement counts per window and the defence level. Redis in production
// (redis-guard-store.ts), an in-process twin for `npm start` (embedded-guard-store.ts); both
// pass one contract suite (guard-store.contract.ts).

/** 0: normal; 1: raised (harder proof of work, a challenge per placement); 2: high (also no new sessions). */
export type DefenceLevel = 0 | 1 | 2;
export const MAX_LEVEL: DefenceLevel = 2;

export interface DefenceState {
  level: DefenceLevel;
  /** When the level last changed (ms). */
  since: number;
}

export interface WindowCount {
  /** Placements in the window. */
  all: number;
  /** Of those, placements by sessions started shortly before. */
  fresh: number;
}

export interface GuardStore {
  /** Records `id` as used until `expiresAt` (ms); false when it was used before (a replay). */
  spendOnce(id: string, expiresAt: number): Promise<boolean>;
  /** After a solved challenge: the user may place `count` pixels while the level is at most `level` (replaces earlier credits of that level). */
  grantCredits(userId: string, level: DefenceLevel, count: number, ttlMs: number): Promise<void>;
  /** Takes one credit bought at `level` or higher: the level it was bought at, or null when there is none. */
  takeCredit(userId: string, level: DefenceLevel): Promise<DefenceLevel | null>;
  /** Gives back a credit taken for a placement that did not happen. */
  refundCredit(userId: string, level: DefenceLevel): Promise<void>;
  /** Adds `all` placements (`fresh` of them by new sessions) to the window starting at `windowStart`; the counts live `ttlMs`. */
  countPlacements(windowStart: number, all: number, fresh: number, ttlMs: number): Promise<void>;
  /** The counts of these windows, in order (zeros for a window nobody placed in). */
  placementCounts(windowStarts: readonly number[]): Promise<WindowCount[]>;
  defenceState(): Promise<DefenceState>;
  setDefenceState(state: DefenceState): Promise<void>;
  close(): Promise<void>;
}
