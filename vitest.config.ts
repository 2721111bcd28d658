import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Worker threads and child processes run the compiled dist/, so build it once first.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: parallel files that start pools and servers would measure each other.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
