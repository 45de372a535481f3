// `npm run sessions -- revoke <userId>` signs out every session of one user issued until now;
// `npm run sessions -- revoke-all` signs out everyone (new sessions work at once).
import { processConfig } from '../core/process-config.ts';
import { createBoardStore } from '../core/service/services.ts';

const [command, userId] = process.argv.slice(2);
const usage = 'usage: npm run sessions -- revoke <userId> | revoke-all';
if (!(command === 'revoke' && userId) && command !== 'revoke-all') {
  console.error(usage);
  process.exit(2);
}
const config = await processConfig();
if (!config.redis) {
  console.error('REDIS_URL is not set: the local runner keeps revocations in its own process; set REDIS_URL to revoke on a shared board.');
  process.exit(2);
}
const store = await createBoardStore(config);
try {
  const at = Date.now();
  await store.revokeSessions(command === 'revoke' ? userId! : null, at);
  console.log(`${command === 'revoke' ? `sessions of ${userId}` : 'every session'} issued until ${new Date(at).toISOString()} no longer work`);
} finally {
  await store.close();
}
