import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Integration tests spawn ffmpeg and run CNNs on 2 cores: give them room, and don't
    // run more files at once than the machine has cores.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    maxWorkers: 2,
    pool: 'forks',
  },
});
