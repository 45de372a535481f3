import { CassandraPixelLog } from './cassandra-pixel-log.ts';
import { describePixelLogContract } from './pixel-log.contract.ts';
import { freshKeyspace } from '../../test-support/test-services.ts';

describePixelLogContract('cassandra', async () => {
  const config = await freshKeyspace();
  let log = await CassandraPixelLog.connect(config);
  return {
    log,
    reopen: async () => { await log.close(); log = await CassandraPixelLog.connect(config); return log; },
    close: () => log.close(),
  };
});
