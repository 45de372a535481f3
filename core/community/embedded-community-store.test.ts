import { EmbeddedCommunityStore } from './embedded-community-store.ts';
import { describeCommunityStoreContract } from './community-store.contract.ts';

describeCommunityStoreContract('embedded', async () => {
  const store = new EmbeddedCommunityStore();
  return { store, close: () => store.close() };
});
