// Every command the README and docs show names something that exists: an npm script whose
// files are there, or a file run directly. (The commands themselves run in the integration
// and system suites; this catches a renamed file before anything starts.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const docs = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Shell lines in ```sh blocks. */
function shellLines(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
}

/** The npm scripts a line runs (npm start, npm test, npm run x, chained with &&). */
function npmScripts(line: string): string[] {
  return [...line.matchAll(/\bnpm (?:run (\S+)|(start|test))\b/g)].map((m) => m[1] ?? m[2]!);
}

describe('commands in the README and docs', () => {
  const all = docs.flatMap((file) => shellLines(file).map((line) => ({ file, line })));

  it('finds the commands (the README shows at least the quick start and the store commands)', () => {
    const readme = all.filter((c) => c.file === 'README.md').flatMap((c) => npmScripts(c.line));
    expect(readme).toEqual(expect.arrayContaining(['start', 'test', 'test:e2e', 'start:cluster', 'migrate', 'rebuild', 'sessions']));
  });

  it('every npm script they name exists, and every file a script runs is there', () => {
    for (const { file, line } of all) {
      for (const name of npmScripts(line)) {
        expect(scripts[name], `${file}: "${line}" runs npm script ${name}`).toBeDefined();
        for (const target of scripts[name]!.matchAll(/\b(?:tsx|node)\s+([\w./-]+\.m?[tj]s)\b/g)) {
          expect(existsSync(path.join(root, target[1]!)), `${file}: ${name} runs ${target[1]}`).toBe(true);
        }
      }
      for (const direct of line.matchAll(/\b(?:npx )?tsx ([\w./-]+\.ts)\b/g)) expect(existsSync(path.join(root, direct[1]!)), `${file}: ${line}`).toBe(true);
    }
  });
});
