import { EmbeddedBoardStore } from './embedded-board-store.ts';
import { describeModerationContract } from './moderation.contract.ts';
import { CONTRACT_KEPT, CONTRACT_RULES, CONTRACT_SIZE, describeBoardStoreContract } from './board-store.contract.ts';

describeBoardStoreContract('embedded', async () => {
  const store = new EmbeddedBoardStore({ size: CONTRACT_SIZE, rules: CONTRACT_RULES, sessionsPerIpPerHour: 2, updatesKept: CONTRACT_KEPT });
  return { store, close: () => store.close() };
});

describeModerationContract('embedded', async () => {
  const store = new EmbeddedBoardStore({ size: CONTRACT_SIZE, rules: CONTRACT_RULES, sessionsPerIpPerHour: 2, updatesKept: CONTRACT_KEPT });
  return { store, close: () => store.close() };
});
