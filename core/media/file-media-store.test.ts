import { FileMediaStore } from './media-store.ts';
import { describeMediaStoreContract } from './media-store.contract.ts';
import { tempDir } from '../../test-support/test-services.ts';

describeMediaStoreContract('file', async () => ({ store: new FileMediaStore(tempDir('media')), close: async () => {} }));
