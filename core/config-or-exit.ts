// For entry points: load the config, or stop at once with the message naming the bad setting.
import { loadConfig, type Config } from './config.ts';

export function configOrExit(check: (config: Config) => void = () => {}): Config {
  try {
    const config = loadConfig();
    check(config);
    return config;
  } catch (err) {
    console.error(`Bad setting ${(err as Error).message}`);
    process.exit(2);
  }
}
