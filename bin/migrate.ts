// `npm run migrate`: create the Cassandra schema named by CASSANDRA_* settings.
import { processConfig } from '../core/process-config.ts';
import { migrate } from '../core/pixel-log/migrate.ts';

const config = await processConfig();
if (!config.cassandra) {
  console.error('CASSANDRA_CONTACT_POINTS is not set: nothing to migrate (the embedded log needs no schema).');
  process.exit(1);
}
await migrate(config.cassandra, (line) => console.log(line));
