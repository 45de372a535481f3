// `npm run migrate`: create the Cassandra schema named by CASSANDRA_* settings.
import { loadConfig } from '../config.ts';
import { migrate } from './migrate.ts';

const config = loadConfig();
if (!config.cassandra) {
  console.error('CASSANDRA_CONTACT_POINTS is not set: nothing to migrate (the embedded log needs no schema).');
  process.exit(1);
}
await migrate(config.cassandra, (line) => console.log(line));
