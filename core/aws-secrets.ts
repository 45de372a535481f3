// Secrets that AWS deployments keep in Secrets Manager (the session HMAC key, the Redis auth
// token), fetched once at start. Loaded lazily so local runs never load the AWS SDK.
import type { Config } from './config.ts';

export async function readSecretString(arn: string): Promise<string> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!out.SecretString) throw new Error(`secret ${arn} has no string value`);
    return out.SecretString;
  } finally {
    client.destroy();
  }
}

/** The config with the Redis auth token (REDIS_AUTH_SECRET_ARN) put into REDIS_URL and REDIS_FEED_URL. */
export async function withRedisAuth(config: Config): Promise<Config> {
  if (!config.redis?.authSecretArn) return config;
  const token = encodeURIComponent(await readSecretString(config.redis.authSecretArn));
  const withToken = (raw: string) => {
    const url = new URL(raw);
    url.username = '';
    url.password = token;
    return url.toString();
  };
  const { url, feedUrl } = config.redis;
  return { ...config, redis: { ...config.redis, url: withToken(url), feedUrl: feedUrl ? withToken(feedUrl) : feedUrl } };
}

/** A secret given directly, or read from Secrets Manager (AWS). */
export async function secretOf(value: string | null, arn: string | null): Promise<string> {
  if (value) return value;
  if (arn) return readSecretString(arn);
  throw new Error('no secret configured');
}
