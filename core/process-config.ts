// How every entry point (bin/) reads its settings: validated once, with AWS secrets resolved
// (REDIS_AUTH_SECRET_ARN into REDIS_URL), or the process stops at once naming the bad setting.
import { loadConfig, type Config } from './config.ts';
import { withRedisAuth } from './aws-secrets.ts';

export async function processConfig(check: (config: Config) => void = () => {}): Promise<Config> {
  let config: Config;
  try {
    config = loadConfig();
    check(config);
  } catch (err) {
    console.error(`Bad setting ${(err as Error).message}`);
    process.exit(2);
  }
  try {
    return await withRedisAuth(config);
  } catch (err) {
    console.error(`Cannot read the Redis auth token (REDIS_AUTH_SECRET_ARN): ${(err as Error).message}`);
    process.exit(2);
  }
}
