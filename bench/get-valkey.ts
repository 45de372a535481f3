// `npm run bench:get-valkey`: Valkey 8.0, the engine the CDK app deploys (infra/redis-cluster.ts),
// for benchmarks only. Debian bookworm has no Valkey; bookworm-backports does. Its two packages
// are unpacked under data/valkey with dpkg-deb (nothing is installed system-wide), and the path of
// valkey-server is printed for FEED_SERVER and AB_SERVER_B (docs/PERFORMANCE.md).
//   VALKEY_DEB_VERSION (8.0.1+dfsg1-1~bpo12+1): backports replaces older versions; the current one
//   is listed at https://packages.debian.org/bookworm-backports/valkey-server
import './exit-on-signal.ts';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const VERSION = process.env.VALKEY_DEB_VERSION ?? '8.0.1+dfsg1-1~bpo12+1';
const POOL = 'http://deb.debian.org/debian/pool/main/v/valkey';
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const dir = resolve(import.meta.dirname, '..', 'data', 'valkey');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

// valkey-tools holds the binary; valkey-server only the valkey-server link to it.
for (const name of ['valkey-tools', 'valkey-server']) {
  const file = `${name}_${VERSION}_${ARCH}.deb`;
  const res = await fetch(`${POOL}/${encodeURIComponent(file)}`);
  if (!res.ok) {
    console.error(`Could not download ${file} (HTTP ${res.status}). If backports has moved on, set VALKEY_DEB_VERSION to the version listed at https://packages.debian.org/bookworm-backports/valkey-server`);
    process.exit(1);
  }
  const path = join(dir, file);
  writeFileSync(path, Buffer.from(await res.arrayBuffer()));
  execFileSync('dpkg-deb', ['-x', path, join(dir, 'root')]);
}
const server = join(dir, 'root', 'usr', 'bin', 'valkey-server');
console.log(execFileSync(server, ['--version']).toString().trim());
console.log(server);
