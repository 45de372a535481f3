// `npm run admin -- grant <userId> <admin|moderator> [reason]`, `revoke <userId> [reason]`, `list`:
// roles, kept in persistence (Cassandra, or DATA_DIR's moderation log locally) and copied into the
// live store the write script reads (Redis; a running local runner takes in the file's change
// itself). Audited as "cli:<os user>". In AWS the same command runs as a task (docs/MODERATION.md).
import { userInfo } from 'node:os';
import { processConfig } from '../core/process-config.ts';
import { createBoardStore, createModerationLog } from '../core/service/services.ts';
import { setRole } from '../core/moderation/moderation-service.ts';
import { ROLES, type Role } from '../core/domain/moderation.ts';

const [command, userId, roleArg, ...rest] = process.argv.slice(2);
const usage = 'usage: npm run admin -- grant <userId> <admin|moderator> [reason] | revoke <userId> [reason] | list';
const valid = (command === 'grant' && userId && ROLES.includes(roleArg as Role)) || (command === 'revoke' && userId) || command === 'list';
if (!valid) {
  console.error(usage);
  process.exit(2);
}
const config = await processConfig();
const moderation = await createModerationLog(config);
const store = config.redis ? await createBoardStore(config) : null;
const actor = `cli:${userInfo().username}`;
try {
  if (command === 'list') {
    const roles = await moderation.roles();
    if (roles.length === 0) console.log('no roles granted');
    for (const r of roles) console.log(`${r.userId}\t${r.role}\tgranted by ${r.by} at ${new Date(r.at).toISOString()}: ${r.reason}`);
  } else {
    const role = command === 'grant' ? (roleArg as Role) : null;
    const reason = (command === 'grant' ? rest : [roleArg, ...rest]).filter(Boolean).join(' ') || `${command} from the command line`;
    if (!role && !(await moderation.role(userId!))) {
      console.error(`${userId} holds no role`);
      process.exitCode = 1;
    } else {
      await setRole({ moderation, store: store ?? { setRole: async () => {} } }, actor, userId!, role, reason);
      console.log(role ? `${userId} is now ${role === 'admin' ? 'an admin' : 'a moderator'}` : `${userId} no longer holds a role`);
    }
  }
} finally {
  await moderation.close();
  await store?.close();
}
