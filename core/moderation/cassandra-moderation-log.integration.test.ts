import { CassandraModerationLog } from './cassandra-moderation-log.ts';
import { describeModerationLogContract } from './moderation-log.contract.ts';
import { freshKeyspace } from '../../test-support/test-services.ts';

describeModerationLogContract('cassandra', async () => {
  const config = await freshKeyspace();
  let log = await CassandraModerationLog.connect(config);
  return {
    log,
    reopen: async () => { await log.close(); log = await CassandraModerationLog.connect(config); return log; },
    close: () => log.close(),
  };
});
