// Flat config. The rule that matters most: nothing under main/core may import electron,
// so the core stays plain Node (CLI, worker, tests) and the shell stays thin.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['main/core/**/*.ts', 'shared/**/*.ts', 'main/cli/**/*.ts', 'main/worker/**/*.ts', 'main/server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'main/core, shared, cli, worker and server are plain Node: electron belongs in main/app and main/preload only.' }],
        patterns: [{ group: ['electron/*'], message: 'electron belongs in main/app and main/preload only.' }],
      }],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
