import { describeGuardStoreContract } from './guard-store.contract.ts';
import { EmbeddedGuardStore } from './embedded-guard-store.ts';

describeGuardStoreContract('embedded', async () => new EmbeddedGuardStore());
