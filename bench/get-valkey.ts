// `npm run bench:get-valkey`: a Valkey server for benchmarks only, its path printed for
// FEED_SERVER and AB_SERVER_A/AB_SERVER_B (docs/PERFORMANCE.md); nothing is installed system-wide.
// By default Valkey 8.0, the engine the CDK app deployed before 8.1 (infra/redis-cluster.ts):
// bookworm has no Valkey, bookworm-backports has 8.0, and its two packages are unpacked under
// data/valkey with dpkg-deb.
//   VALKEY_DEB_VERSION (8.0.1+dfsg1-1~bpo12+1): backports replaces older versions; the current one
//   is listed at https://packages.debian.org/bookworm-backports/valkey-server. The default's
//   packages are checked against their SHA-256 from Debian's package index; another version's are
//   not (the sums are printed, to compare with the index by hand).
//   VALKEY_SOURCE (unset; 8.1.1: the engine the CDK app deploys now): Debian's 8.1 binaries need
//   a newer glibc than bookworm's, so this downloads Debian's source tarball of that version from
//   the same pool (8.1.1's SHA-256 is checked), and builds it under data/valkey-<version> with
//   make (build-essential, xz-utils; 2–3 minutes on 2 cores).
//   VALKEY_OPTIMIZATION (-O2, the level Debian builds its packages at; `default`: Valkey's own,
//   -O3 with link-time optimization, about 7 % faster here: docs/PERFORMANCE.md).
import './exit-on-signal.ts';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';

const VERSION = process.env.VALKEY_DEB_VERSION ?? '8.0.1+dfsg1-1~bpo12+1';
const SOURCE = process.env.VALKEY_SOURCE;
const OPTIMIZATION = process.env.VALKEY_OPTIMIZATION ?? '-O2';
/** SHA-256 of Debian's source tarballs (the pool's .orig.tar.xz), from trixie's Sources index. */
const SOURCE_PINNED: Record<string, string> = {
  '8.1.1': 'd9bbd82eecb82f359e649a0007ad3dc1b47cc15afa626348ca86b73c4ae2c7ee',
};
const POOL = 'https://deb.debian.org/debian/pool/main/v/valkey';
/** SHA-256 of the default version's packages, from bookworm-backports' Packages index (binary-amd64, binary-arm64). */
const PINNED: Record<string, string> = {
  'valkey-tools_8.0.1+dfsg1-1~bpo12+1_amd64.deb': 'd2c2ea67642fa9571a07138b80ae52ebe566311c952aef25a39c1d5050697853',
  'valkey-server_8.0.1+dfsg1-1~bpo12+1_amd64.deb': '986d97e75766d9b18c56159dd904337ec0a1222977235cad7ba56ddc4fd856eb',
  'valkey-tools_8.0.1+dfsg1-1~bpo12+1_arm64.deb': 'e95a3d0a605f7e5d7e8d95d31292b4589abbc14d08a4df34a2a676dac1767163',
  'valkey-server_8.0.1+dfsg1-1~bpo12+1_arm64.deb': '2d21a38b463aeec184f809e72356a53f07f9e58762755bba19f2c1406e336167',
};
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';

if (SOURCE) {
  const file = `valkey_${SOURCE}+dfsg1.orig.tar.xz`;
  const res = await fetch(`${POOL}/${encodeURIComponent(file)}`);
  if (!res.ok) {
    console.error(`Could not download ${file} (HTTP ${res.status}): VALKEY_SOURCE must be a version whose source is in ${POOL}`);
    process.exit(1);
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  const sum = createHash('sha256').update(bytes).digest('hex');
  if (SOURCE_PINNED[SOURCE] && SOURCE_PINNED[SOURCE] !== sum) {
    console.error(`${file}: SHA-256 ${sum} is not ${SOURCE_PINNED[SOURCE]}; not built`);
    process.exit(1);
  }
  if (!SOURCE_PINNED[SOURCE]) console.log(`${file}: SHA-256 ${sum} (not checked: compare it with the version's .dsc)`);
  const buildDir = resolve(import.meta.dirname, '..', 'data', `valkey-${SOURCE}`);
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(join(buildDir, file), bytes);
  execFileSync('tar', ['xJf', file, '--strip-components=1'], { cwd: buildDir });
  rmSync(join(buildDir, file));
  // Set on make's command line, OPTIMIZATION also drops the link-time optimization Valkey adds to its own -O3.
  const flags = OPTIMIZATION === 'default' ? [] : [`OPTIMIZATION=${OPTIMIZATION}`];
  console.log(`building Valkey ${SOURCE} (make ${flags.join(' ')})…`);
  execFileSync('make', [`-j${availableParallelism()}`, ...flags], { cwd: buildDir, stdio: ['ignore', 'ignore', 'inherit'] });
  const built = join(buildDir, 'src', 'valkey-server');
  console.log(execFileSync(built, ['--version']).toString().trim());
  console.log(built);
  process.exit(0);
}

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
  const bytes = Buffer.from(await res.arrayBuffer());
  const sum = createHash('sha256').update(bytes).digest('hex');
  if (PINNED[file] && PINNED[file] !== sum) {
    console.error(`${file}: SHA-256 ${sum} is not Debian's ${PINNED[file]}; not unpacked`);
    process.exit(1);
  }
  if (!PINNED[file]) console.log(`${file}: SHA-256 ${sum} (not checked: compare it with Debian's package index)`);
  const path = join(dir, file);
  writeFileSync(path, bytes);
  execFileSync('dpkg-deb', ['-x', path, join(dir, 'root')]);
}
const server = join(dir, 'root', 'usr', 'bin', 'valkey-server');
console.log(execFileSync(server, ['--version']).toString().trim());
console.log(server);
