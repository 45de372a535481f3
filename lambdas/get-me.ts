// GET /api/me → the caller's cooldown state, who they signed in as and whether they may place.
import { nextAllowedAt } from '../core/domain/cooldown.ts';
import { albHandler } from './http/handler.ts';
import { errorResponse, json } from './http/responses.ts';
import { liveSession } from './http/session.ts';
import { services } from './runtime.ts';
import { currentBoardStatus } from '../core/moderation/moderation-service.ts';
import { exportId } from '../core/community/export-id.ts';

export const handler = albHandler('get-me', async (event) => {
  const s = await services();
  const session = await liveSession(event, s);
  if (!session) return errorResponse(401, 'unauthorized', 'No valid session. Start one with POST /api/session.');
  const lastPlacedAt = (await s.store.cooldownStart(session.userId)) ?? (await s.log.lastPlacement(session.userId));
  // The cooldown in force now (an admin may have changed it), as the write script measures it.
  const { cooldownMs } = await currentBoardStatus(s);
  const account = session.account;
  const ineligibleReason = account ? account.ineligible : s.config.guard.mode === 'signin-required' ? 'signin_required' : null;
  return json(200, {
    userId: session.userId,
    lastPlacedAt,
    nextAllowedAt: nextAllowedAt(lastPlacedAt, { ...s.config.cooldown, cooldownMs }),
    cooldownMs,
    provider: account?.provider ?? null,
    displayName: account?.displayName ?? null,
    eligible: ineligibleReason === null,
    ineligibleReason,
    // The user column of this user's rows in the event archive (npm run export).
    exportId: exportId(s.community.exportKey, session.userId),
  });
});
