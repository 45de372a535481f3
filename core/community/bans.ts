// Who is banned, for the export's `banned` column. Bans arrive with moderation (issue 10, on
// its own branch); until it lands nobody is banned. Moderation provides a BanList and the
// export (bin/export.ts) takes it from there.
export interface BanList {
  /** The ones among these users who are banned. */
  bannedAmong(userIds: readonly string[]): Promise<Set<string>>;
}

export const NO_BANS: BanList = { bannedAmong: async () => new Set() };
