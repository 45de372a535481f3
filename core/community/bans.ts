// Who is banned, for the export's `banned` column. Bans arrive with moderation (issue 10, on
// its own branch); until it lands nobody is banned (NO_BANS). Moderation provides a BanList
// and the export (bin/export.ts) takes it from the services.
export interface BanList {
  /** Every banned user id (bans are few: the export asks once and checks each row against the set). */
  bannedUsers(): Promise<ReadonlySet<string>>;
}

export const NO_BANS: BanList = { bannedUsers: async () => new Set() };
