// The app image's build stage without Docker: the Dockerfile's RUN lines that write dist/ (the
// esbuild bundles, and sharp copied beside them), run here with a temporary folder for dist/, so
// a test runs the entry points as the image ships them: alone in a folder, with only the
// node_modules the image copies.
import { execFile } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../infra/http-functions.ts';

const run = promisify(execFile);

/** The build stage's RUN lines (continuations joined) that write to dist/. */
export function imageBuildLines(): string[] {
  const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const build = dockerfile.slice(0, dockerfile.lastIndexOf('\nFROM '));
  return build.replace(/\\\n\s*/g, ' ').split('\n').filter((l) => l.startsWith('RUN ') && l.includes('dist/')).map((l) => l.slice('RUN '.length));
}

/** Runs them with `out` for dist/. npm reads its tree from the folder that holds node_modules itself (a worktree may link it). */
export async function buildImageDist(out: string): Promise<void> {
  const modulesRoot = path.dirname(realpathSync(path.join(REPO_ROOT, 'node_modules')));
  for (const line of imageBuildLines()) {
    await run('sh', ['-c', line.replaceAll('dist/', `${out}/`)], { cwd: line.startsWith('npm ') ? modulesRoot : REPO_ROOT, maxBuffer: 16 << 20 });
  }
}
