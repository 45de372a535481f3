import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'cdk.out', 'data', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Type-aware rules: every .ts file is in one of the tsconfigs (server, web, e2e).
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits or handles loses its failure: say `void` when that is meant.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a callback's result is ignored (event handlers, forEach) hides rejections.
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
