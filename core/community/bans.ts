// Who is banned, for the export's `banned` column: the bans on record in the moderation log
// (temporary ones included, shadow bans too: the archive marks whoever moderators banned).
import type { ModerationLog } from '../moderation/moderation-log.ts';

export interface BanList {
  /** Every banned user id (bans are few: the export asks once and checks each row against the set). */
  bannedUsers(): Promise<ReadonlySet<string>>;
}

export function moderationBans(log: Pick<ModerationLog, 'bans'>): BanList {
  return { bannedUsers: async () => new Set((await log.bans()).map((b) => b.userId)) };
}
