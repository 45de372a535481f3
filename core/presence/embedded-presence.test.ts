import { EmbeddedPresence } from './presence.ts';
import { CONTRACT_STALE_MS, describePresenceContract } from './presence.contract.ts';

describePresenceContract('embedded', async () => ({ presence: new EmbeddedPresence(CONTRACT_STALE_MS), close: async () => {} }));
