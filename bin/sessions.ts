// `npm run sessions -- revoke <userId>` signs out every session of one user issued until now;
// `npm run sessions -- revoke-all` signs out everyone (new sessions work at once).
// `npm run sessions -- defence` shows the defence level and the recent placement counts it is
// worked out from; `npm run sessions -- defence <0|1|2>` sets it (a moderator's override; it
// steps down again after DEFENCE_HOLD_MS like a raised level does).
import { processConfig } from '../core/process-config.ts';
import { createBoardStore } from '../core/service/services.ts';
import { RedisGuardStore } from '../core/guard/redis-guard-store.ts';
import type { DefenceLevel } from '../core/guard/guard-store.ts';

const [command, arg] = process.argv.slice(2);
const usage = 'usage: npm run sessions -- revoke <userId> | revoke-all | defence [0|1|2]';
const ok = (command === 'revoke' && arg) || command === 'revoke-all' || (command === 'defence' && (arg === undefined || /^[012]$/.test(arg)));
if (!ok) {
  console.error(usage);
  process.exit(2);
}
const config = await processConfig();
if (!config.redis) {
  console.error('REDIS_URL is not set: the local runner keeps sessions and the defence level in its own process; set REDIS_URL to act on a shared board.');
  process.exit(2);
}
if (command === 'defence') {
  const guard = await RedisGuardStore.connect(config.redis);
  try {
    const now = Date.now();
    if (arg !== undefined) await guard.setDefenceState({ level: Number(arg) as DefenceLevel, since: now });
    const state = await guard.defenceState();
    const w = config.guard.defence.windowMs;
    const start = now - (now % w);
    const starts = Array.from({ length: Math.min(10, config.guard.defence.history + 1) }, (_, i) => start - i * w);
    const counts = await guard.placementCounts(starts);
    console.log(`defence level ${state.level}${state.since ? ` since ${new Date(state.since).toISOString()}` : ''} (0 normal, 1 raised, 2 high: new sessions paused)`);
    for (const [i, c] of counts.entries()) console.log(`  ${new Date(starts[i]!).toISOString()}  ${c.all} placements, ${c.fresh} by new sessions`);
  } finally {
    await guard.close();
  }
} else {
  const store = await createBoardStore(config);
  try {
    const at = Date.now();
    await store.revokeSessions(command === 'revoke' ? arg! : null, at);
    console.log(`${command === 'revoke' ? `sessions of ${arg}` : 'every session'} issued until ${new Date(at).toISOString()} no longer work`);
  } finally {
    await store.close();
  }
}
