import { afterAll } from 'vitest';
import { CassandraPixelLog } from '../pixel-log/cassandra-pixel-log.ts';
import { CassandraTemplateRecords } from './template-records.ts';
import { describeTemplateRecordsContract } from './template-records.contract.ts';
import { freshKeyspace } from '../../test-support/test-services.ts';

const logs: CassandraPixelLog[] = [];
afterAll(async () => { for (const l of logs) await l.close(); });

describeTemplateRecordsContract('cassandra', async () => {
  const log = await CassandraPixelLog.connect(await freshKeyspace());
  logs.push(log);
  return new CassandraTemplateRecords(log.connection);
});
