import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests spawn ffmpeg and run CNNs on 2 cores: give them room, and don't
    // run more files at once than the machine has cores.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    maxWorkers: 2,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/unit/renderer/**'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        // The renderer's stores and components: Svelte compiled for the browser, in jsdom.
        extends: true,
        plugins: [svelte({ configFile: false }), svelteTesting()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer',
          include: ['test/unit/renderer/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: ['test/unit/renderer/setup.ts'],
        },
      },
    ],
  },
});
